import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, ploy, seedEmbeddedStore, writeFiles } from '../support/cli.js';

// Rule (issue 18, docs/security.md "Environment variables and pull requests"): ${env:NAME} in a
// resource reads only PLOY_VAR_* and what ploy.config.yaml's env.allow lists, never Ploy's own
// settings; `ploy plan --base` resolves no variable, takes the list from the base commit, and no
// plan format shows a known secret's value.

// What CI has in its environment while it plans a pull request: recognisable values.
const DEPLOY_TOKEN = 'deploy-tok-7Hq2-never-print';
const PLOY_SECRET_X = 'ploy-secret-x-9Zr4-never-print';
const DB_PASSWORD = 'db-pw-3Kd8-never-print';
const CI_ENV = {
  DEPLOY_TOKEN,
  PLOY_SECRET_X,
  DATABASE_URL: `postgres://ploy:${DB_PASSWORD}@127.0.0.1:9/ploy`,
};
const VALUES = [DEPLOY_TOKEN, PLOY_SECRET_X, DB_PASSWORD];
// Tests that open an embedded store: PGlite's start takes seconds, tens on a loaded machine.
const STORE_TIMEOUT = 120_000;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], { cwd, stdio: 'pipe' }).toString();

const job = (name: string, command: string) => `kind: Job\nname: ${name}\nschedule: "@daily"\nshell:\n  command: "${command}"\n`;

/** A config repo committed on main: the operator's ploy.config.yaml and one job. */
async function repo(config: string): Promise<string> {
  const cwd = await makeDir({
    'ploy.config.yaml': `source: {path: ./repo}\nstore: {url: embedded}\n${config}`,
    'repo/jobs/hello.yaml': job('hello', 'echo hello'),
  });
  git(cwd, 'init', '-q', '-b', 'main');
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', 'base');
  return cwd;
}

/** `ploy plan --base main` in each format, with CI's environment; what each printed. */
async function planEveryFormat(cwd: string, extra: string[] = []) {
  const out: Record<string, { code: number; stdout: string; stderr: string }> = {};
  for (const format of ['text', 'json', 'markdown']) {
    out[format] = await ploy(['plan', '--base', 'main', '--format', format, '--detailed-exitcode', ...extra], {
      cwd,
      env: CI_ENV,
    });
  }
  return out;
}

const expectNoValue = (text: string) => {
  for (const v of VALUES) expect(text).not.toContain(v);
};

describe('a pull request planned with ploy plan --base', () => {
  it('shows ${env:NAME} of an allowed variable as written, in text, json and markdown, never its value', async () => {
    const cwd = await repo('env: {allow: ["DEPLOY_*"]}\n');
    // The timeout's value is unknown here too: its schema (a duration) is not held against the reference.
    const deploy = `${job('deploy', 'deploy --token ${env:DEPLOY_TOKEN}')}timeout: "\${env:DEPLOY_TIMEOUT:-5m}"\n`;
    await writeFiles(cwd, { 'repo/jobs/deploy.yaml': deploy });
    const runs = await planEveryFormat(cwd);
    for (const [format, r] of Object.entries(runs)) {
      expectNoValue(r.stdout + r.stderr);
      expect(r.code, `${format}: ${r.stderr}`).toBe(2);
      expect(r.stdout, format).toContain('${env:DEPLOY_TOKEN}');
    }
    const doc = JSON.parse(runs.json.stdout);
    expect(doc.changes[0]).toMatchObject({ action: 'create', kind: 'Job', name: 'deploy' });
    expect(doc.changes[0].after.shell.command).toBe('deploy --token ${env:DEPLOY_TOKEN}');
    expect(doc.changes[0].after.timeout).toBe('${env:DEPLOY_TIMEOUT:-5m}');
  });

  it("refuses Ploy's own variables and unlisted ones with their file and line, and prints no value in any format", async () => {
    const cwd = await repo('');
    await writeFiles(cwd, {
      'repo/apps/leak.yaml': [
        'kind: App',
        'name: leak',
        'image: busybox:1',
        'env:',
        '  A: "${env:DEPLOY_TOKEN}"',
        '  B: "${env:PLOY_SECRET_X}"',
        '  C: "${env:DATABASE_URL}"',
        '',
      ].join('\n'),
    });
    const runs = await planEveryFormat(cwd);
    for (const [format, r] of Object.entries(runs)) {
      expectNoValue(r.stdout + r.stderr);
      expect(r.code, format).toBe(1);
    }
    expect(runs.text.stderr).toContain('apps/leak.yaml:5:3: error: ${env:DEPLOY_TOKEN} is not allowed');
    expect(runs.text.stderr).toContain("apps/leak.yaml:6:3: error: ${env:PLOY_SECRET_X} reads one of Ploy's own settings");
    expect(runs.text.stderr).toContain("apps/leak.yaml:7:3: error: ${env:DATABASE_URL} reads one of Ploy's own settings");
    const doc = JSON.parse(runs.json.stdout);
    expect(doc.diagnostics.map((d: any) => `${d.code} ${d.file}:${d.line}`)).toEqual([
      'env-not-allowed apps/leak.yaml:5',
      'env-not-allowed apps/leak.yaml:6',
      'env-not-allowed apps/leak.yaml:7',
    ]);
    expect(runs.markdown.stdout).toContain('`apps/leak.yaml:5` ${env:DEPLOY_TOKEN} is not allowed');
  });

  it('does not get a wider list by widening env.allow in its own ploy.config.yaml', async () => {
    const cwd = await repo('env: {allow: [REGION]}\n');
    await writeFiles(cwd, {
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nenv: {allow: [REGION, "*"]}\n',
      'repo/jobs/deploy.yaml': job('deploy', 'deploy --token ${env:DEPLOY_TOKEN} --region ${env:REGION}'),
    });
    git(cwd, 'checkout', '-q', '-b', 'pr');
    git(cwd, 'commit', '-q', '-am', 'widen', '--allow-empty');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'use it');
    // Both ways CI reads the head: the checkout, and the head commit from git.
    for (const extra of [[], ['--head', 'pr']]) {
      const r = await ploy(['plan', '--base', 'main', '--format', 'json', ...extra], { cwd, env: { ...CI_ENV, REGION: 'eu' } });
      expectNoValue(r.stdout + r.stderr);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.diagnostics.map((d: any) => `${d.code} ${d.file}:${d.line} ${d.message.split(' ')[0]}`)).toEqual([
        'env-not-allowed jobs/deploy.yaml:5 ${env:DEPLOY_TOKEN}',
      ]);
    }
  });

  it('checks against the defaults (PLOY_VAR_* only) when the base has no ploy.config.yaml', async () => {
    const cwd = await makeDir({ 'repo/jobs/hello.yaml': job('hello', 'echo hello') });
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'base');
    await writeFiles(cwd, {
      'ploy.config.yaml': 'source: {path: ./repo}\nenv: {allow: [DEPLOY_TOKEN]}\n',
      'repo/jobs/deploy.yaml': job('deploy', 'deploy ${env:PLOY_VAR_TARGET} ${env:DEPLOY_TOKEN}'),
    });
    const r = await ploy(['plan', '--base', 'main', '--format', 'json'], { cwd, env: { ...CI_ENV, PLOY_VAR_TARGET: 'x' } });
    expectNoValue(r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout);
    expect(doc.diagnostics.map((d: any) => `${d.code} ${d.file}:${d.line}`)).toEqual(['env-not-allowed jobs/deploy.yaml:5']);
    expect(doc.diagnostics[0].message).toContain('${env:DEPLOY_TOKEN}');
  });

  it("reads nothing of the environment through the pull request's ploy.config.yaml either", async () => {
    const cwd = await repo('');
    // Where a value of the config would surface: the source path, in an error message.
    await writeFiles(cwd, { 'ploy.config.yaml': 'source: {path: "./repo-${env:DEPLOY_TOKEN}"}\n' });
    const r = await ploy(['plan', '--base', 'main'], { cwd, env: CI_ENV });
    expect(r.code).toBe(1);
    expectNoValue(r.stdout + r.stderr);
  });
});

describe('${env:NAME} in ploy validate and ploy plan', () => {
  it(
    'is an error at its file and line, with how to allow it, when the name is not allowed',
    async () => {
      const cwd = await repo('');
      await writeFiles(cwd, { 'repo/jobs/deploy.yaml': job('deploy', 'deploy --token ${env:DEPLOY_TOKEN}') });
      await seedEmbeddedStore(join(cwd, '.ploy'));
      const text = await ploy(['validate'], { cwd, env: CI_ENV });
      expect(text.code).toBe(1);
      expect(text.stderr).toContain('jobs/deploy.yaml:5:3: error: ${env:DEPLOY_TOKEN} is not allowed');
      expect(text.stderr).toContain('env: {allow: [DEPLOY_TOKEN]}');
      const json = await ploy(['validate', '--format', 'json'], { cwd, env: CI_ENV });
      expect(JSON.parse(json.stdout).diagnostics).toMatchObject([
        { severity: 'error', code: 'env-not-allowed', file: 'jobs/deploy.yaml', line: 5 },
      ]);
      const plan = await ploy(['plan'], { cwd, env: { DEPLOY_TOKEN } });
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain('jobs/deploy.yaml:5:3: error: ${env:DEPLOY_TOKEN} is not allowed');
      for (const r of [text, json, plan]) expectNoValue(r.stdout + r.stderr);
    },
    STORE_TIMEOUT,
  );

  it(
    'reads an allowed name, listed or PLOY_VAR_*, and plans with its value',
    async () => {
      const cwd = await repo('env: {allow: [REGION, "APP_*"]}\n');
      await writeFiles(cwd, {
        'repo/jobs/deploy.yaml': job('deploy', 'deploy ${env:REGION} ${env:APP_TIER} ${env:PLOY_VAR_COLOR}'),
      });
      await seedEmbeddedStore(join(cwd, '.ploy'));
      const env = { REGION: 'eu-west', APP_TIER: 'gold', PLOY_VAR_COLOR: 'blue' };
      expect((await ploy(['validate'], { cwd, env })).code).toBe(0);
      const plan = await ploy(['plan', '--format', 'json'], { cwd, env });
      expect(plan.code).toBe(0);
      const deploy = JSON.parse(plan.stdout).changes.find((c: any) => c.name === 'deploy');
      expect(deploy.after.shell.command).toBe('deploy eu-west gold blue');
    },
    STORE_TIMEOUT,
  );

  it("refuses an env.allow that lists Ploy's own settings, at its line in ploy.config.yaml", async () => {
    const cwd = await repo('env:\n  allow:\n    - REGION\n    - PLOY_API_TOKEN\n    - "PLOY_SECRET_*"\n');
    const r = await ploy(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ploy.config.yaml:6:7: error: env.allow cannot list PLOY_API_TOKEN');
    expect(r.stderr).toContain('ploy.config.yaml:7:7: error: env.allow cannot list PLOY_SECRET_*');
  });
});

describe('a known secret written out in a resource', () => {
  const API_KEY = 'lit-api-key-5Wp1-never-print';
  const API_TOKEN = 'api-token-8Ng6-never-print';

  it(
    'is masked in plan text, json, markdown and the --out file, and in plan --base',
    async () => {
      const cwd = await repo('secrets: {dir: ./secrets}\n');
      await writeFiles(cwd, {
        'secrets/API_KEY': `${API_KEY}\n`,
        // Not through ${secret:}: the values are pasted in, as a careless commit would.
        'repo/jobs/call.yaml': job('call', `curl -H 'X-Key: ${API_KEY}' -H 'X-Token: ${API_TOKEN}' https://example.com`),
      });
      await seedEmbeddedStore(join(cwd, '.ploy'));
      const env = { PLOY_API_TOKEN: API_TOKEN };
      const printed: string[] = [];
      for (const format of ['text', 'json', 'markdown']) {
        const r = await ploy(['plan', '--format', format, '--out', `plan-${format}.json`], { cwd, env });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('(sensitive)');
        printed.push(r.stdout, r.stderr, await readFile(join(cwd, `plan-${format}.json`), 'utf8'));
      }
      git(cwd, 'checkout', '-q', '-b', 'pr');
      git(cwd, 'add', '-A');
      git(cwd, 'commit', '-q', '-m', 'pasted');
      const base = await ploy(['plan', '--base', 'main', '--format', 'markdown'], { cwd, env });
      expect(base.code).toBe(0);
      printed.push(base.stdout, base.stderr);
      for (const text of printed) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(API_TOKEN);
      }
      // The saved plan still applies: masking leaves its revision and hashes exact.
      const applied = await ploy(['apply', 'plan-json.json'], { cwd, env });
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
    },
    STORE_TIMEOUT,
  );
});
