import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { makeDir, seedEmbeddedStore, writeFiles } from '../support/cli.js';
import { dockerAvailable, ensureTestImage, requireDocker, testDocker, testDockerHost } from '../support/docker.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { serve, until } from '../support/serve-process.js';
import { freePort } from '../support/caddy.js';

/**
 * Rule: every known secret value is masked where text enters the store or leaves the engine.
 * A job, a failed deploy (its health check prints), a preDeploy hook and a failing container
 * each print a secret, as it is and in base64; afterwards no trace of it is found in a full dump
 * of the store (pg_dump; every table of the embedded store, and its raw files), the GraphQL
 * API's answers, the engine's log, a notification delivered to a webhook, or the CLI's output.
 */

// Letters no hex digest or base64 of something else is likely to spell: a trace is a leak.
const MARK = Array.from({ length: 10 }, () => 'ghjkmnpqrstvwxyz'[randomInt(16)]).join('');
const SECRET = `pl0y-${MARK}-s3cret/+x`;
const B64 = Buffer.from(SECRET).toString('base64');
// Names carry this run's id (never the secret's MARK: names are printed as they are).
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const BIN = join(import.meta.dirname, '../../bin/ploy.js');
const run = promisify(execFile);

/** Each form of the secret a program printed here, and the part of each that must never be seen. */
const TRACES = [MARK, B64.slice(0, 16), encodeURIComponent(SECRET)];
function expectNoTrace(where: string, text: string) {
  for (const t of TRACES) expect(text.includes(t), `${where} holds ${t}`).toBe(false);
}

// Prints the secret as it is and in base64 (the image's busybox has no base64 link: call it by name).
const PRINT = 'echo "token=$TOKEN"; printf %s "$TOKEN" | busybox base64';
const env = '{TOKEN: "${secret:TOKEN}"}';

/** The four programs that print the secret; `tag` keeps names apart between the two stores. */
function resources(tag: string, hook: string) {
  const app = (name: string, rest: string) =>
    `kind: App\nname: ${name}-${tag}-${RUN}\nimage: ${IMAGE}\nenv: ${env}\nupdate: {monitor: 1s}\n${rest}\n---\n`;
  return {
    'repo/apps.yaml':
      app('hooked', `command: "sleep 300"\nhooks: {preDeploy: {command: ${JSON.stringify(`${PRINT}; exit 3`)}}}`) +
      app('crashing', `command: ${JSON.stringify(`${PRINT}; exit 1`)}`) +
      app(
        'unhealthy',
        `command: "sleep 300"\nhealthcheck: {cmd: ["sh", "-c", ${JSON.stringify(`echo "health token=$TOKEN"; exit 1`)}], interval: 1s, timeout: 1s, retries: 1}`,
      ),
    'repo/jobs.yaml': `kind: Job\nname: leaky\nschedule: "* * * * * *"\nshell: {command: ${JSON.stringify(`${PRINT.replace('busybox base64', 'base64')}; exit 4`)}, env: ${env}}\n`,
    'repo/channels.yaml': `kind: Notification\nname: ops\nwebhook: {url: "${hook}"}\ndefault: true\n`,
    'secrets/TOKEN': `${SECRET}\n`,
  };
}

/** A webhook receiver on loopback: every body it was sent. */
async function receiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, close: () => server.close() };
}

/** Every row of every table of every schema but PostgreSQL's own, through the store's own driver. */
async function embeddedDump(dir: string): Promise<string> {
  const db = await openDriver('embedded', { embeddedDir: dir });
  try {
    const tables = await db.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).toBeGreaterThan(5);
    const parts = [];
    for (const { s, t } of tables) parts.push(JSON.stringify(await db.query(`select * from "${s}"."${t}"`)));
    return parts.join('\n');
  } finally {
    await db.close();
  }
}

/** The bytes of every file under a directory, as latin1 text (a raw grep). */
async function rawFiles(dir: string): Promise<string> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.push((await readFile(join(e.parentPath, e.name))).toString('latin1'));
  return out.join('\n');
}

const API_QUERY = `{
  jobs(first: 5) { edges { node { name executions(first: 5) { edges { node { status outputTail } } } } } }
  deployments(first: 20) { edges { node { app status error logTail } } }
  events(first: 50) { edges { node { type message data } } }
  applies(first: 5) { edges { node { status results { name status message detail } } } }
}`;

beforeAll(async () => {
  if (await dockerAvailable()) await ensureTestImage(IMAGE);
}, 120_000);

afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  for (const c of await docker.listContainers({ all: true, filters: { label: [PLOY_LABELS.app] } }))
    if (c.Labels[PLOY_LABELS.app]?.endsWith(RUN)) await docker.getContainer(c.Id).remove({ force: true });
});

beforeEach(async (ctx) => {
  await requireDocker(ctx);
});

describe('a secret printed by a job, a failed deploy, a preDeploy hook and a failing container', () => {
  it('leaves no trace in ploy serve on PostgreSQL: pg_dump, the API, the log, a delivered notification', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const hook = await receiver();
    const port = await freePort();
    const { 'repo/apps.yaml': apps, ...rest } = resources('pg', hook.url);
    const cwd = await makeDir({ 'ploy.config.yaml': 'source: {path: ./repo}\nsecrets: {dir: ./secrets}\n', ...rest });
    const token = `api-token-${RUN}`;
    const engine = serve(cwd, {
      DATABASE_URL: url,
      DOCKER_HOST: testDockerHost(),
      PLOY_API_LISTEN: `127.0.0.1:${port}`,
      PLOY_API_TOKEN: token,
    });
    const sent = () => hook.bodies.join('\n');
    try {
      await until('a failed job, notified', async () => sent().includes('job.failed'));
      // The apps come once the channel is applied: events of the apply that creates it are not routed to it.
      await writeFiles(cwd, { 'repo/apps.yaml': apps });
      await until('three failed deploys, notified', async () => (sent().match(/deploy\.failed/g) ?? []).length >= 3, 40_000);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: API_QUERY }),
      });
      const api = await answer.text();
      expect(answer.status).toBe(200);
      // What the programs printed did arrive everywhere, masked.
      expect(api).toContain('token=(sensitive)');
      expect(api).toContain('health token=(sensitive)');
      expectNoTrace('the GraphQL answer', api);
      expect(sent()).toContain('token=(sensitive)');
      expect(sent()).toContain('health token=(sensitive)');
      expectNoTrace('a delivered notification', sent());
    } finally {
      engine.kill('SIGTERM');
      await until('ploy serve to stop', async () => engine.exitCode !== null, 15_000).catch(() => engine.kill('SIGKILL'));
      hook.close();
    }
    const log = engine.output();
    expect(log).toContain('(sensitive)');
    expectNoTrace("ploy serve's log", log);
    const { stdout: dump } = await run('pg_dump', ['--no-owner', url], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain('token=(sensitive)');
    expectNoTrace('pg_dump of the store', dump);
  }, 90_000);

  it('leaves no trace after ploy apply and ploy run job on the embedded store: its tables, its files, the output', async () => {
    const hook = await receiver();
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
      ...resources('lite', hook.url),
    });
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const ploy = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          cwd,
          env: { PATH: process.env.PATH, DOCKER_HOST: testDockerHost() },
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
    try {
      const applied = await ploy('apply', '--auto-approve');
      expect(applied.code).toBe(1);
      expect(applied.out).toContain('health token=(sensitive)');
      const ran = await ploy('run', 'job', 'leaky');
      expect(ran.code).toBe(1);
      expect(ran.out).toContain('token=(sensitive)');
      expectNoTrace('the output of ploy apply', applied.out);
      expectNoTrace('the output of ploy run job', ran.out);
      const sent = hook.bodies.join('\n');
      expect(sent).toContain('deploy.failed');
      expectNoTrace('a notification sent by ploy apply', sent);
    } finally {
      hook.close();
    }
    const dir = join(cwd, '.ploy');
    const files = await rawFiles(dir);
    expect(files).toContain('token=(sensitive)');
    expectNoTrace("the embedded store's files", files);
    const tables = await embeddedDump(dir);
    expect(tables).toContain('token=(sensitive)');
    expectNoTrace("the embedded store's tables", tables);
  }, 90_000);
});
