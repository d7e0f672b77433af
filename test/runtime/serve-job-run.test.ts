import type { AddressInfo } from 'node:net';
import { serveInProcess, stopServed } from '../support/serve-in-process.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../engine/api/http-server.js';
import { requestJobRun } from '../../engine/api/job-run.js';
import { project } from '../cli/fixtures.js';

afterEach(stopServed);

const until = async <T>(what: string, check: () => Promise<T | undefined>, ms = 8_000): Promise<T> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const FILES = {
  'ploy.config.yaml':
    'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\napi: {token: "${secret:API_TOKEN}"}\n',
  'secrets/API_TOKEN': 'api-t0ken\n',
  // Never due on its own (1 January): every run here is a manual one.
  'repo/jobs.yaml': `kind: Job
name: report
schedule: "0 0 1 1 *"
shell: {command: 'echo "run $PLOY_SCHEDULED_AT"; sleep 1'}
concurrency: forbid
`,
};

describe('POST /jobs/<name>/run', () => {
  it('runs an applied job on the leader through its policies, only with the API token', async () => {
    const cwd = await project(FILES);
    const { engine, store, port } = await serveInProcess(cwd);
    const base = `http://127.0.0.1:${port}`;
    const run = (name: string, token?: string) =>
      fetch(`${base}/jobs/${name}/run`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    await until('the job to be known', async () => engine.scheduler.jobs.has('report'));

    expect((await run('report')).status).toBe(401);
    expect((await run('report', 'wrong')).status).toBe(401);
    expect((await run('nope', 'api-t0ken')).status).toBe(404);
    expect(await store.listOccurrences({ job: 'report' })).toEqual([]);

    const first = await run('report', 'api-t0ken');
    expect(first.status).toBe(202);
    const body = (await first.json()) as { occurrence: number; trigger: string; status: string };
    expect(body).toMatchObject({ job: 'report', trigger: 'manual', status: 'running' });
    // concurrency: forbid holds for manual runs too: a second one while the first runs is skipped.
    await until('the first run to start', async () => engine.scheduler.runs.running('report') > 0);
    const second = (await (await run('report', 'api-t0ken')).json()) as { occurrence: number };
    const done = await until('both runs to be recorded', async () => {
      const rows = await store.listOccurrences({ job: 'report' });
      return rows.every((r) => r.status !== 'running') && rows.length === 2 ? rows : undefined;
    });
    const byId = new Map(done.map((r) => [r.id, r]));
    expect(byId.get(body.occurrence)).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    expect(byId.get(body.occurrence)!.output).toContain('run ');
    expect(byId.get(second.occurrence)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/overlap/) });
  });

  it('a follower refuses with 409 and runs nothing', async () => {
    let asked = 0;
    const server = await startHttpServer('127.0.0.1:0', {
      version: 'test',
      lastSync: () => undefined,
      apiToken: 'tok',
      onPush: () => {},
      onSync: () => {},
      onJobRun: (name) =>
        requestJobRun(name, {
          role: () => 'follower',
          runNow: async () => {
            asked++;
            return { unknown: name };
          },
        }),
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs/report/run`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok' },
      });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: string }).error).toMatch(/leader/);
      expect(asked).toBe(0);
    } finally {
      server.close();
    }
  });
});
