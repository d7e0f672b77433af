import { isAbsolute, relative, resolve, sep } from 'node:path';
import { envSettings } from '../config/env-settings.js';
import type { EngineConfig } from '../config/types.js';
import { type EnvPolicy, envPolicy } from '../load/env-policy.js';
import { parseFile } from '../load/parse-file.js';
import { readCommitFile } from '../source/commit-file.js';
import { type Diagnostic, hasErrors, warning } from '../model/diagnostic.js';

/**
 * The `${env:}` policy `ploy plan --base` holds the head to: the one of ploy.config.yaml as the
 * base commit has it, so a pull request that widens `env.allow` in its own copy gains nothing.
 * The file is read at the same path, relative to the repository, as the config this command
 * uses (`--config`, or ./ploy.config.yaml even when the working tree no longer has one); a base
 * without the file, or with one that cannot be read, gets the defaults (PLOY_VAR_* only).
 * A config outside the repository is not the pull request's to change: its list is used as is.
 * Names the head's config reads for its own credentials stay reserved as well.
 */
export async function baseEnvPolicy(
  config: EngineConfig,
  cwd: string,
  repo: { root: string; oid: string; ref: string },
): Promise<{ policy: EnvPolicy; diagnostics: Diagnostic[] }> {
  const path = config.file ?? resolve(cwd, 'ploy.config.yaml');
  const rel = relative(repo.root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return { policy: envPolicy(config.env), diagnostics: [] };
  const filepath = rel.split(sep).join('/');
  const bytes = await readCommitFile(repo.root, repo.oid, filepath);
  const withReserved = (allow: readonly string[]) => envPolicy({ allow, reserved: config.env.reserved });
  if (!bytes) return { policy: withReserved([]), diagnostics: [] };
  const parsed = parseFile(filepath, bytes);
  const raw = parsed.documents[0]?.value;
  if (hasErrors(parsed.diagnostics) || (raw != null && (typeof raw !== 'object' || Array.isArray(raw)))) {
    const at = { file: filepath, line: 1, column: 1 };
    const message = `${filepath} at ${repo.ref} cannot be read; \${env:} is checked against the default list (PLOY_VAR_* only).`;
    return { policy: withReserved([]), diagnostics: [warning('config', message, at)] };
  }
  const doc = parsed.documents[0];
  const posOf = doc ? doc.positions.of.bind(doc.positions) : () => ({ file: filepath, line: 1, column: 1 });
  const base = envSettings((raw ?? {}) as Record<string, any>, posOf);
  return {
    policy: envPolicy({ allow: base.settings.allow, reserved: [...config.env.reserved, ...base.settings.reserved] }),
    diagnostics: [],
  };
}
