import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { existsSync } from 'node:fs';
import {
  caddyUnavailableReason,
  freePort,
  getThroughProxy,
  requireCaddy,
  type RunningCaddy,
  startCaddy,
} from '../support/caddy.js';
import { makeDir, ploy, seedEmbeddedStore, writeFiles } from '../support/cli.js';
import { dockerAvailable, ensureTestImage, requireDocker, testDocker } from '../support/docker.js';

/**
 * Swarm mode on a single-node swarm (initialised here on loopback when the daemon is not in
 * one, and left again afterwards): apps become services, rolled by Swarm, observed and diffed
 * like containers, and Swarm's own rollback is a failed deployment, not drift.
 */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const name = `svc-${RUN}`;
const runtime = new DockerRuntime();
let joinedHere = false;

const SERVE = 'mkdir -p /www && echo "$GREETING" > /www/index.html; trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait';
const service = (greeting: string, command = SERVE) => `
kind: App
name: ${name}
image: ${IMAGE}
command: ${JSON.stringify(command)}
env: {GREETING: ${greeting}}
replicas: 2
networks: [swarmtest-${RUN}]
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 2}
update: {monitor: 1s}
`;

beforeAll(async () => {
  if (!(await dockerAvailable())) return;
  await ensureTestImage(IMAGE);
  if ((await runtime.info()).swarm.state === 'inactive') {
    await testDocker().swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    joinedHere = true;
  }
}, 120_000);

afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  for (const s of await docker.listServices({ filters: { label: [PLOY_LABELS.app] } }))
    if (s.Spec?.Labels?.[PLOY_LABELS.app]?.endsWith(RUN))
      await docker
        .getService(s.ID)
        .remove()
        .catch(() => undefined);
  if (joinedHere) await docker.swarmLeave({ force: true }).catch(() => undefined);
  else
    for (const n of await docker.listNetworks())
      if (n.Name.includes(RUN))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
}, 60_000);

beforeEach(async (ctx) => {
  await requireDocker(ctx);
});

describe('apps as Swarm services', () => {
  let dir: string;
  const run = (...args: string[]) => ploy(args, { cwd: dir, docker: true });
  const svc = async () => (await runtime.listServices({ [PLOY_LABELS.app]: name }))[0];
  const deployments = async () => {
    const s = await openStore('embedded', { embeddedDir: join(dir, '.ploy') });
    try {
      return await s.listDeployments({ app: name });
    } finally {
      await s.close();
    }
  };

  beforeAll(async () => {
    dir = await makeDir({
      'ploy.config.yaml': 'source: {path: ./src}\nstore: {url: embedded}\ndocker: {mode: swarm}\n',
      'src/app.yaml': service('v1'),
    });
    await seedEmbeddedStore(join(dir, '.ploy'));
  });

  it('creates a service with its replicas running, then plans no changes', async () => {
    const applied = await run('apply', '--auto-approve');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const s = await svc();
    expect(s).toMatchObject({ name, replicas: 2, runningTasks: 2 });
    expect(s.labels[PLOY_LABELS.specHash]).toMatch(/^[0-9a-f]{16}$/);
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 90_000);

  it('rolls an update out through Swarm and records it', async () => {
    const before = await svc();
    await writeFiles(join(dir, 'src'), { 'app.yaml': service('v2') });
    const applied = await run('apply', '--auto-approve');
    expect(applied.code).toBe(0);
    const after = await svc();
    expect(after.labels[PLOY_LABELS.specHash]).not.toBe(before.labels[PLOY_LABELS.specHash]);
    expect(after.updateState).toBe('completed');
    // start-first: the old tasks are still shutting down when Swarm calls the update completed.
    for (let i = 0; i < 100 && (await svc()).runningTasks !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await svc()).runningTasks).toBe(2);
    expect((await deployments()).map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 120_000);

  it("reports Swarm's own rollback as a failed deployment, not as drift to push again", async () => {
    const good = await svc();
    await writeFiles(join(dir, 'src'), { 'app.yaml': service('v3', 'echo broken; exec sleep 300') });
    const applied = await run('apply', '--auto-approve');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('Swarm rolled the update back');
    const now = await svc();
    expect(now.labels[PLOY_LABELS.specHash]).toBe(good.labels[PLOY_LABELS.specHash]);
    expect(now.updateState).toBe('rollback_completed');
    expect((await deployments())[0].status).toBe('rolled-back');
    // Git still asks for v3: the plan shows that change, and no drift.
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('env changed');
    expect(plan.stdout).not.toContain('drift');
  }, 180_000);

  it('sees a service scaled by hand as drift, and removes the service when the app is pruned', async () => {
    await writeFiles(join(dir, 'src'), { 'app.yaml': service('v2') });
    const docker = testDocker();
    const s = await svc();
    const inspected = await docker.getService(s.id).inspect();
    await docker
      .getService(s.id)
      .update({ ...inspected.Spec, Mode: { Replicated: { Replicas: 1 } }, version: inspected.Version.Index } as never);
    const plan = await run('plan');
    expect(plan.stdout).toContain(`service ${name} was scaled to 1 outside Ploy`);

    await writeFiles(join(dir, 'src'), {
      'other.yaml': `kind: Notification\nname: ops-${RUN}\nwebhook: {url: "http://127.0.0.1:9/"}\n`,
    });
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'src/app.yaml'));
    expect((await run('apply', '--auto-approve')).code).toBe(0);
    expect(await svc()).toBeUndefined();
  }, 120_000);
});

/**
 * Swarm's routing mesh balances with the kernel's IPVS; where the kernel has none (this CI VM:
 * no /proc/sys/net/ipv4/vs), services publish their ports but every connection to them is
 * refused. There the apply must say so instead of reporting a route that serves nothing; where
 * the mesh works, requests through Caddy must reach the new version. Either way it is asserted.
 */
const MESH = existsSync('/proc/sys/net/ipv4/vs');
const MESH_REFUSED = /routing mesh refuses connections on this host at port \d+, so the routes of routed-\w+ answer nothing here/;

/** Through Caddy where the mesh works; the apply's own report where it cannot. */
async function expectServed(applied: { stdout: string }, eventually: () => Promise<unknown>, body: string) {
  if (MESH) {
    expect(applied.stdout).not.toMatch(MESH_REFUSED);
    expect(await eventually()).toEqual({ status: 200, body });
  } else {
    expect(applied.stdout).toMatch(MESH_REFUSED);
  }
}

describe('routes of Swarm services through Caddy (the routing mesh)', () => {
  const web = `routed-${RUN}`;
  const HOST = `${web}.test`;
  let dir: string;
  let caddy: RunningCaddy | undefined;
  let listen: number;
  const run = (...args: string[]) => ploy(args, { cwd: dir, docker: true });
  const app = (greeting: string) => `
kind: App
name: ${web}
image: ${IMAGE}
command: ${JSON.stringify(SERVE)}
env: {GREETING: ${greeting}}
replicas: 2
networks: [swarmroute-${RUN}]
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 2}
update: {monitor: 1s}
routes:
  - {host: ${HOST}, port: 8080, tls: "off"}
`;
  const get = () => getThroughProxy(listen, HOST);
  /** The mesh may take a moment to route to new tasks: asks until `body` answers (or 15 s pass). */
  const eventually = async (body: string) => {
    let last: unknown;
    for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      last = await get().catch((e: Error) => e.message);
      if ((last as { body?: string }).body === body) break;
    }
    return last;
  };

  beforeAll(async () => {
    if (caddyUnavailableReason() || !(await dockerAvailable())) return;
    caddy = await startCaddy();
    listen = await freePort();
    dir = await makeDir({
      'ploy.config.yaml': `source: {path: ./src}\nstore: {url: embedded}\ndocker: {mode: swarm}\nproxy: {caddy: {admin: "${caddy.admin}", listen: ["127.0.0.1:${listen}"]}}\n`,
      'src/app.yaml': app('v1'),
    });
    await seedEmbeddedStore(join(dir, '.ploy'));
  });
  afterAll(async () => {
    await caddy?.stop();
  });
  beforeEach((ctx) => requireCaddy(ctx));

  /** The route's upstreams as Caddy has them. */
  const upstreams = async () => {
    const r = await fetch(`${caddy!.admin}/id/ploy.${web}.0/handle/0/upstreams`);
    return r.ok ? ((await r.json()) as { dial: string }[]).map((u) => u.dial) : [];
  };
  const meshPort = async () => (await runtime.listServices({ [PLOY_LABELS.app]: web }))[0]?.ports[0]?.published;

  it('publishes the routed port on the mesh and points the route at it', async () => {
    const applied = await run('apply', '--auto-approve');
    expect(applied.stderr).toBe('');
    expect(applied.code, applied.stdout).toBe(0);
    const s = (await runtime.listServices({ [PLOY_LABELS.app]: web }))[0];
    expect(s.ports).toEqual([{ target: 8080, published: expect.any(Number), protocol: 'tcp' }]);
    expect(await upstreams()).toEqual([`127.0.0.1:${s.ports[0].published}`]);
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
    await expectServed(applied, () => eventually('v1'), 'v1');
  }, 120_000);

  it('heals a route deleted by hand, and keeps the mesh port (and the route) across an update', async () => {
    expect((await fetch(`${caddy!.admin}/id/ploy.${web}.0`, { method: 'DELETE' })).ok).toBe(true);
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`route ${HOST} is missing from the proxy (removed by hand?)`);
    expect((await run('apply', '--auto-approve')).code).toBe(0);
    const port = await meshPort();
    expect(await upstreams()).toEqual([`127.0.0.1:${port}`]);

    await writeFiles(join(dir, 'src'), { 'app.yaml': app('v2') });
    const updated = await run('apply', '--auto-approve');
    expect(updated.code, updated.stdout).toBe(0);
    // Swarm kept the mesh port across the update, so the route did not have to change.
    expect(await meshPort()).toBe(port);
    expect(await upstreams()).toEqual([`127.0.0.1:${port}`]);
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
    await expectServed(updated, () => eventually('v2'), 'v2');
  }, 180_000);
});
