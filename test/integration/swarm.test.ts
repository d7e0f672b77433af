import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
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
  for (const s of await docker.listServices({ filters: { label: [`${PLOY_LABELS.app}=${name}`] } }))
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
