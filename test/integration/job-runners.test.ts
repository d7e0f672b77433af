import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { Cancellation } from '../../engine/executors/cancellation.js';
import { JOB_LABEL, runContainer } from '../../engine/executors/container.js';
import { runExec } from '../../engine/executors/exec.js';
import { runHttp } from '../../engine/executors/http.js';
import { OUTPUT_LIMIT_BYTES, OutputTail } from '../../engine/executors/output-tail.js';
import { runShell } from '../../engine/executors/shell.js';
import type { RunContext } from '../../engine/executors/types.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { ensureTestImage, removeLabelled, requireDocker, testDocker, testDockerHost } from '../support/docker.js';

const ployEnv = { PLOY_SCHEDULED_AT: '2026-06-01T08:00:00.000Z', PLOY_JOB: 'nightly', PLOY_ATTEMPT: '2' };
function ctx(timeoutMs = 10_000): RunContext {
  return { job: 'nightly', ployEnv, cancel: Cancellation.after(timeoutMs), output: new OutputTail() };
}
/** Running, that is: not gone and not a zombie waiting for a parent (init here may not reap). */
const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('the shell runner (real processes)', () => {
  it('runs sh -c with stdout and stderr interleaved, the exit code, and PLOY_* in its env', async () => {
    const c = ctx();
    const r = await runShell(
      {
        command: 'echo one; echo two >&2; echo "$PLOY_JOB $PLOY_ATTEMPT $PLOY_SCHEDULED_AT $EXTRA"; exit 3',
        env: { EXTRA: 'x' },
      },
      c,
    );
    expect(r).toEqual({ ok: false, exitCode: 3, message: 'exited with code 3' });
    expect(c.output.text()).toBe('one\ntwo\nnightly 2 2026-06-01T08:00:00.000Z x\n');
  });

  it("does not hand the engine's own environment (secrets, DATABASE_URL) to jobs", async () => {
    const c = ctx();
    await runShell({ command: 'echo "[$PLOY_SECRET_TOKEN][$DATABASE_URL]"; echo "$PATH" | grep -q / && echo path-ok' }, c, {
      PATH: process.env.PATH,
      PLOY_SECRET_TOKEN: 'hunter2',
      DATABASE_URL: 'postgres://u:p@h/d',
    });
    expect(c.output.text()).toBe('[][]\npath-ok\n');
  });

  it('kills the whole process group on timeout, children included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-shell-'));
    const pidFile = path.join(dir, 'child.pid');
    const c = ctx(300);
    const started = Date.now();
    const r = await runShell({ command: `sleep 30 & echo $! > ${pidFile}; sleep 30` }, c);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.ok).toBe(false);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(child); i++) await new Promise((res) => setTimeout(res, 20));
    expect(alive(child)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the last 64 KB of a large output, the end included', async () => {
    const c = ctx();
    const r = await runShell(
      {
        command:
          'i=0; while [ $i -lt 3000 ]; do echo "line $i ................................................"; i=$((i+1)); done; echo THE-END',
      },
      c,
    );
    expect(r.ok).toBe(true);
    const out = c.output.text();
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
    expect(Buffer.byteLength(out)).toBeGreaterThan(OUTPUT_LIMIT_BYTES - 100);
    expect(out.endsWith('line 2999 ................................................\nTHE-END\n')).toBe(true);
    expect(c.output.dropped).toBeGreaterThan(0);
  });
});

describe('the http runner (a real server on loopback)', () => {
  let server: http.Server;
  let base: string;
  const seen: http.IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/hang') return; // never answers
      if (req.url === '/moved') return void res.writeHead(302, { location: '/ok?status=204' }).end();
      if (req.url === '/endless') {
        // A body that never ends: the runner must stop reading, not wait for it.
        res.writeHead(200);
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const timer = setInterval(() => res.write(chunk), 5);
        res.on('close', () => clearInterval(timer));
        return;
      }
      const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => res.writeHead(status).end(`${req.method} ${body}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('succeeds on 2xx, sends the method, body and X-Ploy-* headers, and keeps the response', async () => {
    const c = ctx();
    const r = await runHttp({ url: `${base}/ok?status=201`, method: 'POST', body: 'hello', headers: { 'X-Custom': 'v' } }, c);
    expect(r).toEqual({ ok: true, exitCode: 201 });
    expect(c.output.text()).toBe('HTTP 201 Created\nPOST hello');
    expect(seen.at(-1)).toMatchObject({
      'x-custom': 'v',
      'x-ploy-scheduled-at': '2026-06-01T08:00:00.000Z',
      'x-ploy-job': 'nightly',
      'x-ploy-attempt': '2',
    });
  });

  it('follows a redirect and judges the final answer', async () => {
    const c = ctx();
    expect(await runHttp({ url: `${base}/moved` }, c)).toEqual({ ok: true, exitCode: 204 });
    expect(c.output.text()).toBe('HTTP 204 No Content\n');
  });

  it('reads the first 64 KB of a body that never ends, and judges by the status', async () => {
    const c = ctx(5_000);
    expect(await runHttp({ url: `${base}/endless` }, c)).toEqual({ ok: true, exitCode: 200 });
    // The status line and 64 KB of body were written; the output keeps its last 64 KB.
    expect(c.output.text()).toBe('x'.repeat(OUTPUT_LIMIT_BYTES));
    const small = new OutputTail(1024 * 1024);
    await runHttp({ url: `${base}/endless` }, { ...ctx(5_000), output: small });
    expect(small.text()).toBe(`HTTP 200 OK\n${'x'.repeat(64 * 1024)}`);
  });

  it('fails on another status unless expectStatus names it', async () => {
    expect(await runHttp({ url: `${base}/?status=500` }, ctx())).toEqual({
      ok: false,
      exitCode: 500,
      message: 'status 500, expected 2xx',
    });
    expect(await runHttp({ url: `${base}/?status=404`, expectStatus: [404, 410] }, ctx())).toEqual({ ok: true, exitCode: 404 });
  });

  it('fails with the reason when the request times out or nothing listens', async () => {
    expect(await runHttp({ url: `${base}/hang` }, ctx(200))).toMatchObject({ ok: false, exitCode: null });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await runHttp({ url: `http://127.0.0.1:${port}/` }, ctx());
    expect(refused).toMatchObject({ ok: false, message: 'request failed: ECONNREFUSED' });
  });
});

describe('the container and exec runners (a real Docker engine)', () => {
  const IMAGE = 'ploy-test/busybox:1';
  const runId = randomBytes(4).toString('hex');
  const RUN = 'ploy.test-run';
  const runtime = new DockerRuntime({ host: testDockerHost() });
  const app = `jobs-app-${runId}`;

  beforeEach(async (t) => {
    await requireDocker(t);
    await ensureTestImage(IMAGE);
  });
  afterAll(async () => {
    await removeLabelled(RUN, runId).catch(() => {});
  });

  const jobContainers = async (job: string) =>
    testDocker().listContainers({ all: true, filters: { label: [`${JOB_LABEL}=${job}`] } });

  it('runs a one-off container, keeps its output and exit code, and removes it', async () => {
    const job = `cjob-${runId}`;
    const c = { ...ctx(), job };
    const r = await runContainer(
      runtime,
      { image: IMAGE, command: 'echo "hi $PLOY_JOB $PLOY_ATTEMPT $GREETING"; echo oops >&2; exit 3', env: { GREETING: 'hey' } },
      c,
    );
    expect(r).toEqual({ ok: false, exitCode: 3, message: 'exited with code 3' });
    expect(c.output.text()).toBe('hi nightly 2 hey\noops\n');
    expect(await jobContainers(job)).toEqual([]);
  });

  it('stops and removes a container that runs past its timeout', async () => {
    const job = `ctimeout-${runId}`;
    const c = { ...ctx(1500), job };
    const started = Date.now();
    const r = await runContainer(runtime, { image: IMAGE, command: ['sleep', '60'] }, c);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await jobContainers(job)).toEqual([]);
  });

  it('execs in a running container of the app, found by its ploy.app label', async () => {
    const id = await runtime.createContainer({
      name: `ploy-test-${runId}-app`,
      image: IMAGE,
      cmd: ['sleep', '300'],
      labels: { [RUN]: runId, [PLOY_LABELS.app]: app },
    });
    await runtime.start(id);
    const c = ctx();
    const r = await runExec(runtime, { app, command: 'echo "in $PLOY_JOB at $PLOY_SCHEDULED_AT"; exit 4' }, c);
    expect(r).toEqual({ ok: false, exitCode: 4, message: 'exited with code 4' });
    expect(c.output.text()).toBe('in nightly at 2026-06-01T08:00:00.000Z\n');
    const ok = await runExec(runtime, { app, command: ['true'] }, ctx());
    expect(ok).toEqual({ ok: true, exitCode: 0 });
  });

  it('fails clearly when the app has no running container', async () => {
    const r = await runExec(runtime, { app: `nothing-${runId}`, command: ['true'] }, ctx());
    expect(r).toEqual({ ok: false, exitCode: null, message: `app "nothing-${runId}" has no running container to exec in` });
  });
});
