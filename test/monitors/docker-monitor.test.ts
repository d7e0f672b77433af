import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { monitor } from '../../engine/kinds/monitor/index.js';
import { runCheck } from '../../engine/runtime/monitors/check.js';
import { compileMonitor } from '../../engine/runtime/monitors/compiled-monitor.js';
import { dockerAvailable, ensureTestImage, removeLabelled, requireDocker, testDockerHost } from '../support/docker.js';

const IMAGE = 'ploy-test/busybox:1';
const RUN = 'ploy.test-run';
const runId = randomBytes(4).toString('hex');
const app = `mon-${runId}`;
const WEB_CMD = ['sh', '-c', 'mkdir -p /www && echo \'{"status":"UP"}\' > /www/health && exec httpd -f -p 8080 -h /www'];
const runtime = new DockerRuntime({ host: testDockerHost() });

async function check(spec: Record<string, unknown>) {
  const m = compileMonitor('docker-test', monitor.withDefaults({ timeout: '3s', ...spec }), 'h')!;
  return runCheck(m, { now: () => new Date(), runtime, signal: new AbortController().signal, watchedSince: new Date() });
}

describe('monitors against a real Docker engine', () => {
  let id: string;
  beforeAll(async () => {
    if (!(await dockerAvailable())) return;
    await ensureTestImage(IMAGE);
    id = await runtime.createContainer({
      name: `${app}-1`,
      image: IMAGE,
      cmd: WEB_CMD,
      labels: { 'ploy.app': app, [RUN]: runId },
      healthcheck: { cmd: ['sh', '-c', 'nc -w 1 127.0.0.1 8080 </dev/null'], intervalMs: 300, timeoutMs: 1000, retries: 3 },
    });
    await runtime.start(id);
    for (let i = 0; i < 50 && (await runtime.listManaged({ 'ploy.app': app }))[0]?.health !== 'healthy'; i++)
      await new Promise((r) => setTimeout(r, 200));
  }, 60_000);
  beforeEach(async (ctx) => {
    await requireDocker(ctx);
  });
  afterAll(async () => {
    if (await dockerAvailable()) await removeLabelled(RUN, runId);
  });

  it("a docker monitor passes while the app's containers run healthy", async () => {
    expect(await check({ docker: { app } })).toMatchObject({ ok: true, status: 'running (healthy)' });
  });

  it("an http monitor reaches the app's container by its address (app + port + path)", async () => {
    const beat = await check({
      http: { app, port: 8080, path: '/health' },
      conditions: ['[STATUS] == 200', '[BODY].status == UP'],
    });
    expect(beat).toMatchObject({ ok: true });
    expect(beat.conditions?.[1].resolved).toBe('[BODY].status (UP) == UP');
  });

  it('a docker monitor is down for an app without containers', async () => {
    expect(await check({ docker: { app: `${app}-none` } })).toMatchObject({
      ok: false,
      error: `app ${app}-none has no containers`,
    });
  });

  it('a docker monitor is down once the container stops', async () => {
    await runtime.stop(id, { timeoutSeconds: 0 });
    const beat = await check({ docker: { app } });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/^1 of 1 container\(s\) not running and healthy: .*exited/);
  });
});
