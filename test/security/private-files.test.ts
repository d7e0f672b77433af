import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDir } from '../support/cli.js';
import { type GitServer, pushFiles, startGitServer } from '../support/git-http-server.js';
import { ployProcess, until } from '../support/serve-process.js';

/** The real CLI under umask 022, the usual default, which alone would make files 0644. */
const ploy = (cwd: string, args: string[], env: Record<string, string> = {}) => ployProcess(cwd, args, env, { umask: '022' });

async function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = ploy(cwd, args);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, output: child.output() };
}

/** Every file and folder under `dir` (itself included), with its permission bits. */
function modes(dir: string): Array<{ path: string; mode: string }> {
  const out: Array<{ path: string; mode: string }> = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    out.push({ path: path.relative(dir, p) || '.', mode: (st.mode & 0o777).toString(8) });
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return out;
}

/** Entries that the group or others may read, write or enter. */
const open = (dir: string) => modes(dir).filter((m) => Number.parseInt(m.mode, 8) & 0o077);

const job = 'kind: Job\nname: hello\nschedule: "@daily"\nshell: {command: echo hi}\n';

describe('the engine keeps its state private to its user (.ploy is 0700, its files 0600)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await makeDir({ 'ploy.config.yaml': 'source: {path: ./repo}\n', 'repo/jobs.yaml': job });
    fs.chmodSync(cwd, 0o755);
  });

  it('ploy apply on a fresh directory, under umask 022, creates a store nobody else can read', async () => {
    const { code, output } = await run(cwd, ['apply', '--auto-approve']);
    expect(code, output).toBe(0);
    const ploy = path.join(cwd, '.ploy');
    // Not a vacuous pass: PGlite's data dir (over a thousand files) and the lock's folder are there.
    expect(modes(ploy).length).toBeGreaterThan(500);
    expect(fs.existsSync(path.join(ploy, 'pgdata', 'PG_VERSION'))).toBe(true);
    expect(open(ploy)).toEqual([]);
  }, 90_000);

  it('makes a store that an earlier version left readable by others private when it opens it, and says so', async () => {
    const ploy = path.join(cwd, '.ploy');
    // What Ploy made before: folders 0755, PGlite's files 0666 and 0644.
    for (const m of modes(ploy)) {
      const p = path.join(ploy, m.path);
      fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : m.path.endsWith('PG_VERSION') ? 0o644 : 0o666);
    }
    expect(open(ploy).length).toBeGreaterThan(500);
    const { code, output } = await run(cwd, ['plan']);
    expect(code, output).toBe(0);
    expect(output).toMatch(
      /Warning: .*\.ploy was readable by other users of this host: removed group and other permissions from \d+ files/,
    );
    expect(open(ploy)).toEqual([]);
    // Once private, nothing more to say.
    expect((await run(cwd, ['plan'])).output).not.toContain('readable by other users');
  }, 60_000);
});

describe('ploy serve keeps .ploy private while it runs: the store it creates, what it writes later, its git clone', () => {
  let git: GitServer;
  let target: http.Server;
  let checks = 0;
  beforeAll(async () => {
    git = await startGitServer();
    target = http.createServer((_req, res) => {
      checks++;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await git?.stop();
    await new Promise((r) => target?.close(r));
  });

  it('under umask 022, .ploy and everything in it stay without group or other permissions', async () => {
    const port = (target.address() as AddressInfo).port;
    await git.createRepo('ops');
    await pushFiles(
      git.url('ops'),
      {
        'ploy/monitors.yaml': `kind: Monitor\nname: web\nhttp: {url: "http://127.0.0.1:${port}/"}\ninterval: 1s\n`,
        'ploy/jobs.yaml': job,
      },
      'first',
    );
    const cwd = await makeDir({
      'ploy.config.yaml': `source: {git: {url: "${git.url('ops')}", ref: main, dir: ploy, interval: 1s}}\napi: {listen: "127.0.0.1:0"}\n`,
    });
    fs.chmodSync(cwd, 0o755);
    const engine = ploy(cwd, ['serve']);
    try {
      // Monitor results are written every second: files PGlite creates while it runs are checked too.
      await until('a few checks recorded', async () => checks >= 3 && engine.output().includes('ploy serve started'), 90_000);
      const ploy = path.join(cwd, '.ploy');
      expect(fs.readdirSync(ploy).sort()).toEqual(['git', 'pgdata', 'store.lock']);
      expect(modes(path.join(ploy, 'git')).some((m) => m.path.endsWith('HEAD'))).toBe(true);
      expect(open(ploy)).toEqual([]);
      engine.kill('SIGTERM');
      await new Promise((r) => engine.on('close', r));
      expect(open(ploy)).toEqual([]);
    } finally {
      engine.kill('SIGKILL');
    }
  }, 120_000);
});
