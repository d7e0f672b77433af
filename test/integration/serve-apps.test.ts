import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { openStoreWithReadModel } from '../../engine/adapters/store/open-read-model.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { makeDir, seedEmbeddedStore, writeFiles } from '../support/cli.js';
import { dockerAvailable, ensureTestImage, requireDocker, testDocker } from '../support/docker.js';

/** `ploy serve` deploying apps on a real Docker Engine: self-heal, and no retry loop for a failing spec. */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const runtime = new DockerRuntime();
const good = `good-${RUN}`;
const bad = `bad-${RUN}`;

const app = (name: string, command: string) => `
kind: App
name: ${name}
image: ${IMAGE}
command: ${JSON.stringify(command)}
networks: [ploytest-${RUN}]
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 2}
---
`;
const SERVE = 'mkdir -p /www; trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait';

let running: { engine: RunningEngine; store: Store } | undefined;

beforeAll(async () => {
  if (await dockerAvailable()) await ensureTestImage(IMAGE);
}, 120_000);
beforeEach(async (ctx) => {
  await requireDocker(ctx);
});
afterEach(async () => {
  await running?.engine.stop();
  await running?.store.close();
  running = undefined;
});
afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  for (const c of await docker.listContainers({ all: true, filters: { label: [PLOY_LABELS.app] } }))
    if (c.Labels[PLOY_LABELS.app]?.endsWith(RUN)) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks())
    if (n.Name.includes(RUN))
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
});

async function serve(cwd: string) {
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  const { store, readModel } = await openStoreWithReadModel('embedded', { embeddedDir: join(cwd, '.ploy') });
  const engine = await startEngine(config!, {
    store,
    readModel,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'test',
    containers: runtime,
  });
  running = { engine, store };
  const port = (engine.server.address() as { port: number }).port;
  /** The API's view of one app: its live containers and drift. */
  const appView = async (name: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ app(name: "${name}") { drift containers { name replica state health } } }` }),
    });
    const body = (await res.json()) as { data: { app: { drift: string | null; containers: Array<Record<string, unknown>> } } };
    return body.data.app;
  };
  return { engine, store, appView };
}

const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('ploy serve with apps on Docker', () => {
  it('deploys at start, heals a container stopped by hand, and does not retry a failing spec in a loop', async () => {
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./src}\nstore: {url: embedded}\n',
      'src/apps.yaml': app(good, SERVE) + app(bad, SERVE),
    });
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const { engine, store, appView } = await serve(cwd);
    expect(engine.reconciler.last).toMatchObject({ outcome: 'applied' });
    const [g] = await runtime.listManaged({ [PLOY_LABELS.app]: good });
    expect(g.state).toBe('running');
    // The API shows the live containers (and no drift) from Docker itself.
    expect(await appView(good)).toEqual({
      drift: null,
      containers: [{ name: g.name, replica: 1, state: 'running', health: 'healthy' }],
    });

    // Stopped by hand: the next pass (a self-heal tick) sees drift, says so, and replaces it.
    await runtime.stop(g.id, { timeoutSeconds: 1 });
    expect((await appView(good)).drift).toContain(`container ${g.name} is exited`);
    await engine.reconciler.trigger('self-heal');
    expect(engine.reconciler.last).toMatchObject({ outcome: 'applied', drift: true });
    const [healed] = await runtime.listManaged({ [PLOY_LABELS.app]: good });
    expect(healed.state).toBe('running');
    expect(healed.id).not.toBe(g.id);
    expect((await store.listEvents({ type: 'drift.detected' }))[0].message).toContain('drifted');

    // A commit that breaks one app: rolled back once, then held back on every later pass.
    await writeFiles(cwd, { 'src/apps.yaml': app(good, SERVE) + app(bad, 'echo broken; exec sleep 300') });
    await until('the failing rollout', async () => engine.reconciler.last?.outcome === 'failed');
    const deploymentsOf = async () => (await store.listDeployments({ app: bad })).map((d) => d.status);
    expect(await deploymentsOf()).toEqual(['rolled-back', 'succeeded']);
    for (let i = 0; i < 3; i++) await engine.reconciler.trigger('self-heal');
    expect(engine.reconciler.last?.message).toContain(`held back (failed to deploy at this revision): App/${bad}`);
    expect(await deploymentsOf()).toEqual(['rolled-back', 'succeeded']);
    expect((await store.listEvents({ type: 'deploy.failed' })).length).toBe(1);

    // A new commit tries again.
    await writeFiles(cwd, { 'src/apps.yaml': app(good, SERVE) + app(bad, `echo fixed; ${SERVE}`) });
    await until('the fixed rollout', async () => (await deploymentsOf())[0] === 'succeeded');
    expect(await deploymentsOf()).toEqual(['succeeded', 'rolled-back', 'succeeded']);
  }, 120_000);
});
