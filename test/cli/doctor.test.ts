import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { makeDir } from '../support/cli.js';
import { requireDocker, testDockerHost } from '../support/docker.js';
import { pushFiles, startGitServer } from '../support/git-http-server.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';

const BIN = join(import.meta.dirname, '../../bin/ploy.js');
const NO_DOCKER = 'unix:///run/ploy-test-no-docker.sock';

/**
 * `ploy doctor` as a user runs it (the compiled CLI: npm test builds it first). Asynchronous, so
 * servers this test runs in its own process (the git server) can answer meanwhile.
 */
function doctor(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, 'doctor'],
      { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** The line of one check: `fail  docker   no Docker socket at ...`. */
const lineOf = (stdout: string, check: string) => stdout.split('\n').find((l) => new RegExp(`^\\w+\\s+${check}\\s`).test(l));

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A project whose secrets dir is private, as it should be. */
async function project(config: string): Promise<string> {
  const dir = await makeDir({ 'ploy.config.yaml': config, 'repo/.keep': '', 'secrets/TOKEN': 'x\n' });
  await chmod(join(dir, 'secrets'), 0o700);
  await chmod(join(dir, 'secrets/TOKEN'), 0o600);
  return dir;
}

const LOCAL = 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n';

describe('ploy doctor', () => {
  it('fails the Docker check, with how to fix it, when the Docker socket does not exist', async () => {
    const dir = await project(LOCAL);
    const r = await doctor(dir, { DOCKER_HOST: NO_DOCKER });
    expect(r.code).toBe(1);
    expect(lineOf(r.stdout, 'docker')).toMatch(/^fail\s+docker\s+no Docker socket at unix:\/\/\/run\/ploy-test-no-docker\.sock$/);
    expect(r.stdout).toMatch(/fix: Start Docker .*DOCKER_HOST/);
    // Only Docker is wrong: the rest of the machine checks out.
    for (const check of ['config', 'store', 'proxy', 'source', 'secrets']) expect(lineOf(r.stdout, check)).toMatch(/^ok\s/);
    expect(r.stderr).toBe('');
  });

  it('fails the store check at once when the PostgreSQL server refuses the connection', async () => {
    const port = await closedPort();
    const dir = await project(`source: {path: ./repo}\nstore: {url: "postgres://ploy:pw@127.0.0.1:${port}/x"}\n`);
    const r = await doctor(dir, { DOCKER_HOST: NO_DOCKER });
    expect(r.code).toBe(1);
    const store = lineOf(r.stdout, 'store');
    expect(store).toMatch(new RegExp(`^fail\\s+store\\s+.*127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    expect(store).not.toContain('pw'); // the password is never printed
    expect(r.stdout).toMatch(/fix: Start the database, or correct store\.url/);
    // A refusal is reported as it happens, not after the check's time limit.
    expect(r.stdout).not.toContain('no answer within');
  });

  it('fails the secrets check when the secrets dir and its files are world-readable', async () => {
    const dir = await project(LOCAL);
    // Every folder down to the secrets lets others in (a temp dir is 0700, which would shield them).
    await chmod(dir, 0o755);
    await chmod(join(dir, 'secrets'), 0o755);
    await chmod(join(dir, 'secrets/TOKEN'), 0o644);
    const r = await doctor(dir, { DOCKER_HOST: NO_DOCKER });
    expect(r.code).toBe(1);
    const line = lineOf(r.stdout, 'secrets');
    expect(line).toMatch(/^fail\s+secrets\s+secrets are open to other users of this host:/);
    expect(line).toContain(`${join(dir, 'secrets/TOKEN')} (0644: every user may read or change it)`);
    expect(r.stdout).toContain(`fix: chmod 700 ${join(dir, 'secrets')} && chmod 600 ${join(dir, 'secrets')}/*`);

    await chmod(join(dir, 'secrets'), 0o700);
    await chmod(join(dir, 'secrets/TOKEN'), 0o600);
    expect(lineOf((await doctor(dir, { DOCKER_HOST: NO_DOCKER })).stdout, 'secrets')).toMatch(
      /^ok\s+secrets\s+.* is private to its owner$/,
    );
  });

  it('fails the proxy check when Caddy is configured and its admin API does not answer', async () => {
    const port = await closedPort();
    const dir = await project(`${LOCAL}proxy: {caddy: {admin: "http://127.0.0.1:${port}"}}\n`);
    const r = await doctor(dir, { DOCKER_HOST: NO_DOCKER });
    expect(r.code).toBe(1);
    expect(lineOf(r.stdout, 'proxy')).toMatch(
      new RegExp(`^fail\\s+proxy\\s+Caddy admin API at http://127.0.0.1:${port} is not reachable \\(ECONNREFUSED\\)`),
    );
  });

  it('fails a check that does not answer within its time limit, and still reports the others', async () => {
    // Accepts connections and never answers: an admin API behind a firewall that drops, or a hung Caddy.
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const dir = await project(`${LOCAL}proxy: {caddy: {admin: "http://127.0.0.1:${port}"}}\n`);
      const started = Date.now();
      const r = await doctor(dir, { DOCKER_HOST: NO_DOCKER });
      expect(r.code).toBe(1);
      expect(lineOf(r.stdout, 'proxy')).toMatch(/^fail\s+proxy\s+no answer within 5 s$/);
      expect(lineOf(r.stdout, 'secrets')).toMatch(/^ok\s/);
      // The limit is the check's, not the process's: it ends soon after, nothing left hanging.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('with a git source', () => {
    let server: Awaited<ReturnType<typeof startGitServer>>;
    beforeAll(async () => {
      server = await startGitServer({ username: 'ploy', password: 'right-password' });
      await server.createRepo('config');
      await pushFiles(server.urlWithCredentials('config'), { 'apps.yaml': 'kind: App\nname: web\nimage: nginx\n' }, 'First');
    });
    afterAll(() => server?.stop());

    const gitConfig = (ref: string, password: string) =>
      `source: {git: {url: "${server.url('config')}", ref: ${ref}, auth: {username: ploy, password: ${password}}}}\n`;

    it('finds the ref with the configured credentials', async () => {
      const r = await doctor(await project(gitConfig('main', 'right-password')), { DOCKER_HOST: NO_DOCKER });
      expect(lineOf(r.stdout, 'source')).toMatch(
        /^ok\s+source\s+http:\/\/127\.0\.0\.1:\d+\/config\.git: refs\/heads\/main at [0-9a-f]{7}$/,
      );
    });

    it('fails, without printing the password, when the server rejects the credentials', async () => {
      const r = await doctor(await project(gitConfig('main', 'wrong-password')), { DOCKER_HOST: NO_DOCKER });
      expect(r.code).toBe(1);
      expect(lineOf(r.stdout, 'source')).toMatch(/^fail\s+source\s+.*rejected the configured credentials \(HTTP 401\)/);
      expect(r.stdout).toMatch(/fix: Set source\.git\.auth/);
      expect(r.stdout + r.stderr).not.toContain('wrong-password');
    });

    it('fails when the ref does not exist', async () => {
      const r = await doctor(await project(gitConfig('release', 'right-password')), { DOCKER_HOST: NO_DOCKER });
      expect(r.code).toBe(1);
      expect(lineOf(r.stdout, 'source')).toMatch(/^fail\s+source\s+.* has no branch or tag "release"/);
    });
  });

  describe('with the real PostgreSQL and Docker', () => {
    let databaseUrl: string;
    beforeEach(async (ctx) => {
      requirePostgres(ctx);
      await requireDocker(ctx);
      databaseUrl = await freshDatabase();
    });

    it('warns of pending migrations on a store no Ploy has opened yet, and fails nothing', async () => {
      const dir = await project(`source: {path: ./repo}\nstore: {url: "${databaseUrl}"}\nsecrets: {dir: ./secrets}\n`);
      const r = await doctor(dir, { DOCKER_HOST: testDockerHost() });
      expect(r.code).toBe(0);
      expect(lineOf(r.stdout, 'store')).toMatch(
        /^warn\s+store\s+PostgreSQL store \(PostgreSQL [\d.]+.*\): \d+ migration\(s\) pending: 1 initial, /,
      );
      expect(r.stdout).toMatch(/Nothing failed, 1 warning\.\n$/);
    });

    it('reports every check ok on a machine where everything is in order', async () => {
      const store = await openStore(databaseUrl, { embeddedDir: '' }); // migrates, as any ploy command would
      await store.close();
      const dir = await project(`source: {path: ./repo}\nstore: {url: "${databaseUrl}"}\nsecrets: {dir: ./secrets}\n`);
      const r = await doctor(dir, { DOCKER_HOST: testDockerHost() });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.slice(0, 7).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
        'ok config',
        'ok docker',
        'ok store',
        'ok proxy',
        'ok source',
        'ok secrets',
        'ok clock',
      ]);
      expect(lineOf(r.stdout, 'docker')).toMatch(/Docker \d+\.\d+.* \(API 1\.\d+\) at .*, standalone$/);
      expect(lineOf(r.stdout, 'store')).toMatch(/reachable, schema up to date$/);
      expect(lineOf(r.stdout, 'clock')).toMatch(/agrees with Docker and the store/);
      expect(r.stdout).not.toContain('fix:');
      expect(lines.at(-1)).toBe('Nothing failed.');
    });
  });
});
