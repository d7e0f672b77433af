import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSensitive, type Sensitive } from '../../engine/model/sensitive.js';
import { makeDir, ploy, seedEmbeddedStore } from '../support/cli.js';
import { expectOnlyErrors, show, validate, validateFiles, yaml } from './harness.js';

// FORMAT.md, interpolation: ${env:NAME}, ${env:NAME:-default}, ${secret:NAME} (secrets dir or
// PLOY_SECRET_NAME), $${ as a literal, other ${...} left alone; missing values are errors at their
// line; secret values never appear in any output.

const SECRET = 'hunter2-Zq9x-never-print-me';

const app = (...more: string[]) => yaml('kind: App', 'name: web', 'image: nginx:1.27', ...more);
const specOf = async (files: Record<string, string>, opts?: Parameters<typeof validate>[1]) => {
  const r = await validate(files, opts);
  expect(r.diagnostics.map(show)).toEqual([]);
  return r.resources[0].spec as Record<string, any>;
};

describe('environment variables', () => {
  it('replaces ${env:NAME} anywhere in a string', async () => {
    const spec = await specOf(
      {
        'a.yaml': app('env: {URL: "https://${env:HOST}:${env:PORT}/api"}', 'command: ["serve", "--host=${env:HOST}"]'),
      },
      { env: { HOST: 'shop.internal', PORT: '8443' }, envAllow: ['HOST', 'PORT'] },
    );
    expect(spec.env.URL).toBe('https://shop.internal:8443/api');
    expect(spec.command).toEqual(['serve', '--host=shop.internal']);
  });

  it('interpolates a field the schema then checks with the value', async () => {
    const r = await validate(
      { 'a.yaml': yaml('kind: App', 'name: web', 'image: "${env:IMAGE}"') },
      { env: { IMAGE: 'has spaces' }, envAllow: ['IMAGE'] },
    );
    expectOnlyErrors(r.diagnostics, [{ code: 'invalid-field', file: 'a.yaml', line: 3, words: ['image'] }]);
  });

  it('uses the default of ${env:NAME:-default} when the variable is not set, and the variable when it is', async () => {
    const files = { 'a.yaml': app('env: {LEVEL: "${env:LOG_LEVEL:-info}", EMPTY: "${env:NOPE:-}"}') };
    const envAllow = ['LOG_LEVEL', 'NOPE'];
    expect((await specOf(files, { envAllow })).env).toEqual({ LEVEL: 'info', EMPTY: '' });
    expect((await specOf(files, { env: { LOG_LEVEL: 'debug' }, envAllow })).env.LEVEL).toBe('debug');
  });

  it('reports a missing variable without default as an error at its line, with how to give a default', async () => {
    const ds = await validateFiles(
      { 'a.yaml': app('env:', '  A: "1"', '  DB_URL: "postgres://${env:DB_HOST}/app"') },
      { envAllow: ['DB_HOST'] },
    );
    expectOnlyErrors(ds, [
      {
        code: 'missing-env',
        file: 'a.yaml',
        line: 6,
        words: ['DB_HOST', 'not set', '${env:DB_HOST:-default}'],
      },
    ]);
  });

  it('reports a missing variable inside a multi-line script at the line of the script that uses it', async () => {
    const ds = await validateFiles(
      {
        'j.yaml': yaml(
          'kind: Job',
          'name: sync',
          'schedule: "@daily"',
          'shell:',
          '  command: |',
          '    set -e',
          '    echo "syncing to $HOME"',
          '    rsync /data ${env:BACKUP_TARGET}',
          '    echo done',
        ),
      },
      { envAllow: ['BACKUP_TARGET'] },
    );
    expectOnlyErrors(ds, [{ code: 'missing-env', file: 'j.yaml', line: 8, words: ['BACKUP_TARGET'] }]);
  });

  it('reports every missing variable, each at its own line', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': app('env:', '  A: "${env:ONE}"', '  B: "${env:TWO}"'),
        'b/c.yaml': yaml('kind: Monitor', 'name: up', 'tcp: {host: "${env:THREE}", port: 80}'),
      },
      { envAllow: ['ONE', 'TWO', 'THREE'] },
    );
    expect(ds.map((d) => `${d.file}:${d.line}:${d.code}:${d.message.split(' ')[2]}`)).toEqual([
      'a.yaml:5:missing-env:ONE',
      'a.yaml:6:missing-env:TWO',
      'b/c.yaml:3:missing-env:THREE',
    ]);
  });

  it('reports a missing variable once: not again as an empty field or a broken reference', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': yaml('kind: App', 'name: web', 'image: "${env:WEB_IMAGE}"'),
        'm.yaml': yaml(
          'kind: Monitor',
          'name: up',
          'docker: {app: web}',
          '---',
          'kind: Monitor',
          'name: api',
          'docker:',
          '  app: "${env:API_APP}"',
        ),
        'j.yaml': yaml('kind: Job', 'name: tick', 'schedule: "${env:TICK}"', 'shell: {command: "true"}'),
      },
      { envAllow: ['WEB_IMAGE', 'API_APP', 'TICK'] },
    );
    expectOnlyErrors(ds, [
      { code: 'missing-env', file: 'a.yaml', line: 3, words: ['WEB_IMAGE'] },
      { code: 'missing-env', file: 'j.yaml', line: 3, words: ['TICK'] },
      { code: 'missing-env', file: 'm.yaml', line: 8, words: ['API_APP'] },
    ]);
  });

  it('does not take variables from the engine process environment other than those given', async () => {
    const ds = await validateFiles({ 'a.yaml': app('env: {P: "${env:PATH}"}') }, { env: {}, envAllow: ['PATH'] });
    expectOnlyErrors(ds, [{ code: 'missing-env', file: 'a.yaml', line: 4, words: ['PATH'] }]);
  });
});

// Changed from v1 for safety (issue 18): a resource may read only PLOY_VAR_* and the variables
// ploy.config.yaml lists in env.allow; test/security/env-interpolation.test.ts runs the CLI.
describe('which variables a resource may read', () => {
  it('reads PLOY_VAR_* without any setting', async () => {
    const spec = await specOf({ 'a.yaml': app('env: {R: "${env:PLOY_VAR_REGION}"}') }, { env: { PLOY_VAR_REGION: 'eu' } });
    expect(spec.env.R).toBe('eu');
  });

  it('refuses any other variable at its line, set or not, default or not, with how to allow it', async () => {
    const ds = await validateFiles(
      { 'a.yaml': app('env:', '  A: "${env:REGION}"', '  B: "${env:LEVEL:-info}"') },
      { env: { REGION: 'eu' } },
    );
    expectOnlyErrors(ds, [
      { code: 'env-not-allowed', file: 'a.yaml', line: 5, words: ['REGION', 'PLOY_VAR_*', 'env: {allow: [REGION]}'] },
      { code: 'env-not-allowed', file: 'a.yaml', line: 6, words: ['LEVEL'] },
    ]);
  });

  it("refuses Ploy's own settings even when env.allow lists every name", async () => {
    const ds = await validateFiles(
      { 'a.yaml': app('env:', '  A: "${env:PLOY_SECRET_X}"', '  B: "${env:DATABASE_URL}"') },
      { env: { PLOY_SECRET_X: SECRET, DATABASE_URL: SECRET }, envAllow: ['*'] },
    );
    expectOnlyErrors(ds, [
      { code: 'env-not-allowed', file: 'a.yaml', line: 5, words: ["Ploy's own settings", '${secret:NAME}'] },
      { code: 'env-not-allowed', file: 'a.yaml', line: 6, words: ["Ploy's own settings"] },
    ]);
    expect(JSON.stringify(ds)).not.toContain(SECRET);
  });
});

describe('secrets', () => {
  it('reads ${secret:NAME} from the file NAME in the secrets dir, without its trailing newline', async () => {
    const spec = await specOf(
      { 'a.yaml': app('env: {TOKEN: "${secret:WEB_TOKEN}"}') },
      { secrets: { WEB_TOKEN: `${SECRET}\n` } },
    );
    const token = spec.env.TOKEN as Sensitive;
    expect(isSensitive(token)).toBe(true);
    expect(token.reveal()).toBe(SECRET);
    expect(token.template).toBe('${secret:WEB_TOKEN}');
  });

  it('reads ${secret:NAME} from the variable PLOY_SECRET_NAME', async () => {
    const spec = await specOf(
      { 'a.yaml': app('env: {DSN: "postgres://app:${secret:DB_PW}@db/app"}') },
      { env: { PLOY_SECRET_DB_PW: SECRET } },
    );
    expect((spec.env.DSN as Sensitive).reveal()).toBe(`postgres://app:${SECRET}@db/app`);
  });

  it('keeps the value out of the spec as JSON and as text', async () => {
    const spec = await specOf(
      { 'a.yaml': app('env: {TOKEN: "Bearer ${secret:WEB_TOKEN}"}') },
      { env: { PLOY_SECRET_WEB_TOKEN: SECRET } },
    );
    expect(JSON.stringify(spec)).not.toContain(SECRET);
    expect(String(spec.env.TOKEN)).not.toContain(SECRET);
  });

  it('reports a missing secret as an error at its line, naming both places it is looked for', async () => {
    const ds = await validateFiles(
      {
        'n.yaml': yaml('kind: Notification', 'name: ops', 'slack:', '  webhookUrl: "${secret:SLACK_WEBHOOK}"'),
      },
      { secrets: { OTHER: 'x' } },
    );
    expectOnlyErrors(ds, [
      {
        code: 'missing-secret',
        file: 'n.yaml',
        line: 4,
        words: ['SLACK_WEBHOOK', 'secrets dir', 'PLOY_SECRET_SLACK_WEBHOOK'],
      },
    ]);
  });

  it('refuses a default for a secret', async () => {
    const ds = await validateFiles({ 'a.yaml': app('env: {T: "${secret:T:-none}"}') }, { env: { PLOY_SECRET_T: SECRET } });
    expectOnlyErrors(ds, [{ code: 'invalid-interpolation', file: 'a.yaml', line: 4, words: ['${secret:T}', 'no default'] }]);
  });
});

describe('what is left as written', () => {
  it('turns $${ into a literal ${ without interpolating it', async () => {
    const spec = await specOf({
      'a.yaml': app('command: ["sh", "-c", "echo $${env:NOT_SET} $${secret:NOPE}"]'),
    });
    expect(spec.command[2]).toBe('echo ${env:NOT_SET} ${secret:NOPE}');
  });

  it('leaves ${HOME} and any other ${...} of a shell command as written', async () => {
    const spec = await specOf({
      'j.yaml': yaml(
        'kind: Job',
        'name: clean',
        'schedule: "@daily"',
        'shell:',
        '  command: \'rm -rf "${HOME}/tmp" ${1} ${PATH:-/bin} ${ENV:X} ${env}\'',
      ),
    });
    expect(spec.shell.command).toBe('rm -rf "${HOME}/tmp" ${1} ${PATH:-/bin} ${ENV:X} ${env}');
  });

  it('never interpolates keys', async () => {
    const spec = await specOf({ 'a.yaml': app('env: {"${env:KEY}": value}') }, { env: { KEY: 'replaced' } });
    expect(Object.keys(spec.env)).toEqual(['${env:KEY}']);
  });
});

describe('secret values never appear in output', () => {
  // Problems all around the secret: a field that echoes its value in messages (restart shows what
  // was written), a duplicate name, a bad condition and a missing variable next to it.
  const files = {
    'apps/web.yaml': yaml('kind: App', 'name: web', 'image: nginx:1.27', 'env:', '  TOKEN: "${secret:WEB_TOKEN}"'),
    'apps/web-again.yaml': yaml('kind: App', 'name: web', 'image: "${secret:WEB_TOKEN}"'),
    'apps/bad.yaml': yaml(
      'kind: App',
      'name: bad',
      'image: nginx:1.27',
      'restart: "${secret:WEB_TOKEN}"',
      'env:',
      '  URL: "https://user:${secret:WEB_TOKEN}@${env:NOT_SET}/"',
    ),
    'm.yaml': yaml(
      'kind: Monitor',
      'name: up',
      'http: {url: "${secret:WEB_TOKEN}"}',
      'conditions: ["len([BODY].token == ${secret:WEB_TOKEN}"]',
    ),
  };

  it('not in any diagnostic', async () => {
    const ds = await validateFiles(files, { secrets: { WEB_TOKEN: SECRET } });
    expect(ds.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(ds)).not.toContain(SECRET);
    // The field that shows what was written shows the reference.
    expect(ds.find((d) => d.message.includes('restart'))?.message).toContain('${secret:WEB_TOKEN}');
  });

  const cleanupDirs: string[] = [];
  afterAll(() => Promise.all(cleanupDirs.map((d) => rm(d, { recursive: true, force: true }))));

  /** A config repo with a secrets dir beside the source, as `ploy init` lays it out. */
  const repo = async (source: Record<string, string>) => {
    const dir = await makeDir({
      'ploy.config.yaml': yaml('source: {path: ./config}', 'secrets: {dir: ./secrets}'),
      'secrets/WEB_TOKEN': `${SECRET}\n`,
      ...Object.fromEntries(Object.entries(source).map(([p, t]) => [`config/${p}`, t])),
    });
    cleanupDirs.push(dir);
    return dir;
  };

  it('not in ploy validate --format json, nor in its text output', async () => {
    const cwd = await repo(files);
    const json = await ploy(['validate', '--format', 'json'], { cwd, env: { PLOY_SECRET_DB_PW: SECRET } });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.diagnostics.length).toBeGreaterThanOrEqual(4);
    for (const d of doc.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
    expect(json.stdout + json.stderr).not.toContain(SECRET);
    const text = await ploy(['validate'], { cwd });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('apps/bad.yaml:4');
    expect(text.stdout + text.stderr).not.toContain(SECRET);
  });

  it('not in ploy plan --format json of a valid source that uses the secret', async () => {
    const cwd = await repo({
      'web.yaml': app('env:', '  TOKEN: "${secret:WEB_TOKEN}"', '  DSN: "postgres://app:${secret:DB_PW}@db/app"'),
      'n.yaml': yaml(
        'kind: Notification',
        'name: ops',
        'webhook: {url: "https://example.com/hook", headers: {Authorization: "Bearer ${secret:WEB_TOKEN}"}}',
      ),
    });
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const valid = await ploy(['validate', '--format', 'json'], { cwd, env: { PLOY_SECRET_DB_PW: SECRET } });
    expect(JSON.parse(valid.stdout)).toEqual({ valid: true, diagnostics: [] });
    const plan = await ploy(['plan', '--format', 'json'], { cwd, env: { PLOY_SECRET_DB_PW: SECRET } });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const doc = JSON.parse(plan.stdout);
    expect(doc.formatVersion).toBe(1);
    expect(
      doc.changes.map((c: { action: string; kind: string; name: string }) => `${c.action} ${c.kind} ${c.name}`).sort(),
    ).toEqual(['create App web', 'create Notification ops']);
    expect(plan.stdout).not.toContain(SECRET);
    const text = await ploy(['plan'], { cwd, env: { PLOY_SECRET_DB_PW: SECRET } });
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).not.toContain(SECRET);
  });
});
