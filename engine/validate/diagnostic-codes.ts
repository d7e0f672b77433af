import type { DiagnosticCode } from '../model/diagnostic.js';

/** What one diagnostic code means to the person who reads it: why it appears and what to do. */
export interface DiagnosticCodeDoc {
  /** The severity it is reported with (`warning` codes never stop an apply). */
  severity: 'error' | 'warning' | 'error or warning';
  /** What in the config causes it. */
  cause: string;
  /** How to make it go away. */
  fix: string;
}

/**
 * Every diagnostic code, described. Typed as a full record so the compiler refuses a new code
 * without its description; docs/reference/diagnostics.md is generated from this table.
 */
export const DIAGNOSTIC_CODES: Record<DiagnosticCode, DiagnosticCodeDoc> = {
  'yaml-syntax': {
    severity: 'error',
    cause:
      'A file is not valid YAML 1.2: bad indentation, an unclosed quote or bracket, a tab used for indentation, or an alias (`*name`) whose anchor is not in the same document.',
    fix: 'Correct the YAML at the line and column given. Anchors do not carry across `---`: define `&name` earlier in the same document.',
  },
  'yaml-duplicate-key': {
    severity: 'error',
    cause: 'The same key appears twice in one mapping (YAML 1.2 forbids it; the second would silently win elsewhere).',
    fix: 'Keep one of the two keys.',
  },
  'yaml-alias-limit': {
    severity: 'error',
    cause: 'A document expands more than 100 aliases: it looks like a "billion laughs" YAML bomb and is not read.',
    fix: 'Write the repeated values out, or use fewer aliases.',
  },
  'yaml-too-deep': {
    severity: 'error',
    cause: 'Mappings or lists are nested more than 64 levels deep.',
    fix: 'Flatten the structure; no Ploy field needs that depth.',
  },
  'file-too-large': {
    severity: 'error',
    cause: 'A YAML file in the source is over 5 MB; it is not read.',
    fix: 'Split it into several files, or add it to `.ployignore` if it is not a resource file.',
  },
  'file-binary': {
    severity: 'error',
    cause: 'A `.yaml`/`.yml` file is not UTF-8 text.',
    fix: 'Save it as UTF-8, or add it to `.ployignore`.',
  },
  'file-unreadable': {
    severity: 'error',
    cause: 'A file could not be read: a permission problem, or a symbolic link to a file that does not exist.',
    fix: "Fix the file's permissions or the link, or add the path to `.ployignore`.",
  },
  'path-escape': {
    severity: 'error',
    cause: "A symbolic link points outside the source root, or an App's `build.context` is outside the repository.",
    fix: 'Keep every file and build context inside the source root (the folder named by `source`).',
  },
  'not-a-resource': {
    severity: 'error',
    cause: 'A YAML document is not a mapping (a list or a plain value), so it cannot be a resource.',
    fix: 'Each document (between `---` lines) must be one mapping with `kind` and `name`.',
  },
  'unknown-kind': {
    severity: 'error',
    cause: '`kind` is not one of App, Monitor, Job or Notification (the message suggests the nearest one).',
    fix: 'Set `kind` to App, Monitor, Job or Notification (capitalised as written).',
  },
  'unknown-field': {
    severity: 'error',
    cause: 'A field the schema does not define, usually a typo (the message suggests the nearest field).',
    fix: 'Rename it to the field meant, or remove it. Unknown fields are errors so that typos never pass silently.',
  },
  'invalid-field': {
    severity: 'error or warning',
    cause:
      'A value of the wrong type, outside its allowed values or range, or two fields that exclude each other (e.g. both `image` and `build`). As a warning: an http health check in swarm mode, which needs wget or curl in the image.',
    fix: 'Use a value the message lists; see the field in the reference of its kind.',
  },
  'missing-field': {
    severity: 'error',
    cause:
      'A required field is absent: `kind`, `name`, an App without `image` or `build`, a Monitor without a probe, a Job without `schedule` or a runner, a Notification without a provider.',
    fix: 'Add the field the message names.',
  },
  'invalid-name': {
    severity: 'error',
    cause:
      'A name is not a lowercase DNS label (a-z, 0-9 and `-`, 1 to 63 characters, starting and ending with a letter or digit).',
    fix: 'Rename it, e.g. `My_App` → `my-app`. References to it (`notify`, `dependsOn`, ...) must use the new name.',
  },
  'duplicate-name': {
    severity: 'error',
    cause: 'Two resources of the same kind have the same name (reported at both places).',
    fix: 'Rename one of them, or delete the copy. Names are unique per kind; an App and a Monitor may share a name.',
  },
  'unknown-reference': {
    severity: 'error',
    cause: 'A field names a resource that is not declared: `notify`, `dependsOn`, `then`, a probe or runner `app`.',
    fix: 'Declare the resource, or correct the name (the message suggests the nearest one).',
  },
  'dependency-cycle': {
    severity: 'error',
    cause: '`dependsOn` (or `then`) references form a loop; the message names the cycle.',
    fix: 'Remove one of the references in the cycle.',
  },
  'port-conflict': {
    severity: 'error',
    cause: 'Two apps publish the same host port and protocol on overlapping addresses.',
    fix: 'Give one app another host port, bind them to different addresses, or serve them through `routes`.',
  },
  'route-conflict': {
    severity: 'error',
    cause: 'Two apps route the same host and path.',
    fix: 'Change the host or the path of one route.',
  },
  'replicas-fixed-port': {
    severity: 'error',
    cause: 'In standalone mode, an app with more than one replica publishes a fixed host port: only one container can bind it.',
    fix: 'Publish the container port only (`"3000"`), serve the app through `routes`, use one replica, or run in swarm mode.',
  },
  'invalid-schedule': {
    severity: 'error',
    cause:
      "A Job's `schedule` or a monitor maintenance window's `schedule` is not a valid cron expression, nickname or `@every <duration>`.",
    fix: 'Write 5, 6 (seconds first) or 7 (year last) cron fields, `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly`, or `@every 90s`. Quote it in YAML.',
  },
  'invalid-timezone': {
    severity: 'error',
    cause: '`timezone` is not an IANA time zone name known to this Node.js.',
    fix: 'Use a name such as `UTC` or `Europe/Berlin` (not an abbreviation such as CET or PST).',
  },
  'invalid-duration': {
    severity: 'error',
    cause: 'A duration without a unit (`30`) or with an unknown one (`30sec`).',
    fix: 'Write a whole number and a unit: `500ms`, `30s`, `5m`, `6h` or `2d`.',
  },
  'invalid-condition': {
    severity: 'error',
    cause: 'A Monitor condition does not parse: an unknown placeholder or function, a missing operator, unbalanced brackets.',
    fix: 'Write `[PLACEHOLDER] operator value`, e.g. `[STATUS] == 200`; see the Monitor reference for placeholders and functions.',
  },
  'invalid-interpolation': {
    severity: 'error',
    cause: 'A `${secret:NAME:-default}`: secrets take no default.',
    fix: 'Drop the default: a secret must exist. Use `${env:NAME:-default}` for values that may be absent.',
  },
  'missing-env': {
    severity: 'error',
    cause: '`${env:NAME}` names a variable that is not set in the environment of the ploy process.',
    fix: 'Set the variable, or give a default: `${env:NAME:-value}`.',
  },
  'env-not-allowed': {
    severity: 'error',
    cause:
      "`${env:NAME}` in a resource names a variable resources may not read: not `PLOY_VAR_*` and not listed in `env.allow` of ploy.config.yaml, or one of Ploy's own settings (`PLOY_SECRET_*`, `PLOY_API_TOKEN`, `DATABASE_URL`, ...), which are never readable.",
    fix: 'Rename the variable to `PLOY_VAR_NAME`, or list it in `env.allow`. For a secret, use `${secret:NAME}`.',
  },
  'missing-secret': {
    severity: 'error',
    cause: '`${secret:NAME}` names a secret that is neither a file NAME in `secrets.dir` nor a variable `PLOY_SECRET_NAME`.',
    fix: 'Create the file (mode 0600) in the secrets dir, or set `PLOY_SECRET_NAME`. `ploy plan --base` compares secrets by name and needs none.',
  },
  'unknown-event': {
    severity: 'error',
    cause: "A Notification's `events` lists a name that is not an event (see the events reference).",
    fix: 'Use one of the event names; the message suggests the nearest one.',
  },
  'no-proxy': {
    severity: 'warning',
    cause: 'An App declares `routes` but ploy.config.yaml configures no `proxy`: the routes are not served.',
    fix: 'Configure `proxy.caddy` in ploy.config.yaml, or remove `routes`.',
  },
  config: {
    severity: 'error',
    cause: 'ploy.config.yaml is missing (when named with `--config`), unreadable, not a mapping, or holds an invalid setting.',
    fix: 'Correct the setting the message names; see the ploy.config.yaml reference.',
  },
};
