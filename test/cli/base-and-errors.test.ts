import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, ploy, writeFiles } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { BASIC } from './fixtures.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], { cwd, stdio: 'pipe' }).toString();

describe('ploy plan --base', () => {
  it('compares the source with a git ref, without a store and without secret values', async () => {
    const cwd = await makeDir(BASIC);
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'first');
    await writeFiles(cwd, {
      'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', '45 4'),
      'repo/extra.yaml': 'kind: Monitor\nname: extra\nping: {host: 127.0.0.1}\n',
    });
    // No secrets at all: --base compares secret references by name.
    await writeFile(join(cwd, 'secrets/HOOK_TOKEN'), '');
    const r = await ploy(['plan', '--base', 'main', '--format', 'json', '--config', 'ploy.config.yaml', '--detailed-exitcode'], {
      cwd,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: any) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['update Job/backup', 'create Monitor/extra']);
    expect(doc.changes[0].diffs).toEqual([{ path: 'schedule', before: '15 2 * * *', after: '45 4 * * *' }]);
  });

  it('shows no changes against the commit it was made from', async () => {
    const cwd = await makeDir(BASIC);
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'first');
    const r = await ploy(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('says clearly when the ref does not exist or the source is not in git', async () => {
    const cwd = await makeDir(BASIC);
    const outside = await ploy(['plan', '--base', 'main'], { cwd });
    expect(outside).toMatchObject({ code: 1 });
    expect(outside.stderr).toMatch(/^Error: --base needs the source to be inside a git repository/);
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'first');
    const missing = await ploy(['plan', '--base', 'nope'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--base nope: no such branch, tag or commit');
  });
});

describe('ploy plan --base --head', () => {
  /** A repo with three revisions of repo/jobs.yaml: first and second committed, a third left uncommitted. */
  async function threeRevisions(): Promise<{ cwd: string; first: string; second: string }> {
    const cwd = await makeDir(BASIC);
    git(cwd, 'init', '-q', '-b', 'main');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', 'first');
    const first = git(cwd, 'rev-parse', 'HEAD').trim();
    await writeFiles(cwd, { 'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', '45 4') });
    git(cwd, 'commit', '-q', '-am', 'second');
    const second = git(cwd, 'rev-parse', 'HEAD').trim();
    await writeFiles(cwd, {
      'repo/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2', '0 6'),
      'repo/extra.yaml': 'kind: Monitor\nname: extra\nping: {host: 127.0.0.1}\n',
    });
    return { cwd, first, second };
  }

  it('compares two commits and never reads the uncommitted working tree', async () => {
    const { cwd, first, second } = await threeRevisions();
    const r = await ploy(['plan', '--base', first, '--head', second, '--format', 'json', '--detailed-exitcode'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.revision).toBe(second);
    expect(doc.changes.map((c: any) => `${c.action} ${c.kind}/${c.name}`)).toEqual(['update Job/backup']);
    expect(doc.changes[0].diffs).toEqual([{ path: 'schedule', before: '15 2 * * *', after: '45 4 * * *' }]);
  });

  it('accepts branch names and abbreviated SHAs, and shows no changes for the same commit', async () => {
    const { cwd, first } = await threeRevisions();
    const same = await ploy(['plan', '--base', first.slice(0, 8), '--head', first, '--detailed-exitcode'], { cwd });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No changes.');
    const md = await ploy(['plan', '--base', first.slice(0, 8), '--head', 'main', '--format', 'markdown'], { cwd });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| 🟡 update | Job `backup` |');
    expect(md.stdout).not.toContain('extra');
    expect(md.stdout).not.toContain('0 6 * * *');
  });

  it('says clearly when the head ref does not exist', async () => {
    const { cwd } = await threeRevisions();
    const r = await ploy(['plan', '--base', 'main', '--head', 'nope'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: --head nope: no such branch, tag or commit/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --head without --base in one line', async () => {
    const { cwd } = await threeRevisions();
    const r = await ploy(['plan', '--head', 'main'], { cwd });
    expect(r).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^Error: --head needs --base[^\n]*\n$/) });
  });
});

describe('errors on the command line', () => {
  it.each([
    [['plan', '--format', 'yaml'], /argument 'yaml' is invalid/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['plan', '--config', 'missing.yaml'], /Config file missing.yaml does not exist/],
    [['validate', '--source', 'no-such-dir'], /Cannot read the source directory/],
  ])('%j is a one-line error with exit 1 and no stack trace', async (args, message) => {
    const cwd = await makeDir({});
    const r = await ploy(args as string[], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a broken ploy.config.yaml with its line', async () => {
    const cwd = await makeDir({ 'ploy.config.yaml': 'source: {path: .}\nstore: {ur1: embedded}\n' });
    const r = await ploy(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ploy.config.yaml:2:\d+: error: Unknown field "ur1".*Did you mean "url"\?/);
  });
});

describe('ploy validate', () => {
  it('prints the FORMAT.md JSON shape and exits 1 on errors', async () => {
    const cwd = await makeDir({ 'a.yaml': 'kind: App\nname: Web\nimage: x\n' });
    const r = await ploy(['validate', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ severity: 'error', file: 'a.yaml', line: 2 });
    expect(Object.keys(out.diagnostics[0]).sort()).toEqual(['code', 'column', 'file', 'line', 'message', 'severity']);
  });

  it('never opens the store', async () => {
    const cwd = await makeDir({
      ...BASIC,
      'ploy.config.yaml':
        'source: {path: ./repo}\nstore: {url: "postgres://nobody@127.0.0.1:1/none"}\nsecrets: {dir: ./secrets}\n',
    });
    const r = await ploy(['validate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Valid: 3 resources');
  });
});

describe('ploy init', () => {
  it('scaffolds a config repo that validates and plans', async () => {
    const cwd = await makeDir({});
    const r = await ploy(['init', 'ops'], { cwd });
    expect(r.code).toBe(0);
    const v = await ploy(['validate', '--config', 'ops/ploy.config.yaml'], { cwd });
    expect(v.stdout).toContain('Valid: 4 resources (1 Notification, 1 App, 1 Job, 1 Monitor).');
    expect((await ploy(['init', 'ops'], { cwd })).stderr).toContain('Not overwriting existing files');
  });
});

describe('the PostgreSQL store', () => {
  it('applies and then plans no changes against a real PostgreSQL', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const cwd = await makeDir(BASIC);
    const env = { DATABASE_URL: url };
    expect((await ploy(['apply', '--auto-approve'], { cwd, env })).code).toBe(0);
    const r = await ploy(['plan', '--detailed-exitcode'], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('says the store is unreachable without showing its password', async () => {
    const cwd = await makeDir(BASIC);
    const r = await ploy(['plan'], { cwd, env: { DATABASE_URL: 'postgres://ploy:hunter2@127.0.0.1:1/ploy' } });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
