import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANAGED_CADDY_NAME, SYSTEM_LABEL } from '../../engine/adapters/caddy/managed-caddy.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { freePort, getThroughProxy } from '../support/caddy.js';
import { makeDir, ploy, seedEmbeddedStore } from '../support/cli.js';
import { dockerAvailable, ensureCaddyImage, ensureTestImage, requireDocker, testDocker } from '../support/docker.js';

/**
 * `proxy.caddy.manage: true`: Ploy runs Caddy itself as a container (an offline image made from
 * Debian's caddy binary) on the real Docker Engine, routes an app through it, and brings it
 * back — with its routes — after it is removed by hand.
 */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const CADDY_IMAGE = 'ploy-test/caddy:2';
const name = `web-${RUN}`;
const HOST = `web-${RUN}.test`;
let listen: number;
let dir: string;

const app = `
kind: App
name: ${name}
image: ${IMAGE}
command: "mkdir -p /www && echo managed > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 2}
update: {drainTimeout: 1s}
routes:
  - {host: ${HOST}, port: 8080, tls: "off"}
`;

const run = (...args: string[]) => ploy(args, { cwd: dir, docker: true });

const get = () => getThroughProxy(listen, HOST);

async function managedCaddy() {
  return testDocker().listContainers({ all: true, filters: { label: [`${SYSTEM_LABEL}=caddy`] } });
}

async function removeManagedCaddy() {
  const docker = testDocker();
  for (const c of await managedCaddy()) await docker.getContainer(c.Id).remove({ force: true });
  for (const v of (await docker.listVolumes({ filters: { label: [`${SYSTEM_LABEL}=caddy`] } })).Volumes ?? [])
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => undefined);
}

beforeAll(async () => {
  if (!(await dockerAvailable())) return;
  await Promise.all([ensureTestImage(IMAGE), ensureCaddyImage(CADDY_IMAGE)]);
  await removeManagedCaddy();
  listen = await freePort();
  const admin = await freePort();
  dir = await makeDir({
    'ploy.config.yaml': `source: {path: ./src}
store: {url: embedded}
proxy: {caddy: {admin: "http://127.0.0.1:${admin}", listen: ["127.0.0.1:${listen}"], manage: true, image: ${CADDY_IMAGE}}}
`,
    'src/app.yaml': app,
  });
  await seedEmbeddedStore(join(dir, '.ploy'));
}, 120_000);

afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${PLOY_LABELS.app}=${name}`] } }))
    await docker.getContainer(c.Id).remove({ force: true });
  await removeManagedCaddy();
});

beforeEach(async (ctx) => {
  await requireDocker(ctx);
});

describe('a Caddy that Ploy runs itself (proxy.caddy.manage: true)', () => {
  it('starts the Caddy container on the first apply and serves the app through it', async () => {
    expect(await managedCaddy()).toEqual([]);
    const applied = await run('apply', '--auto-approve');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const [caddy] = await managedCaddy();
    expect(caddy.Names).toEqual([`/${MANAGED_CADDY_NAME}`]);
    expect(caddy.State).toBe('running');
    expect(caddy.HostConfig.NetworkMode).toBe('host');
    expect(await get()).toEqual({ status: 200, body: 'managed' });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 90_000);

  it('shows a Caddy removed by hand as drift, and the next apply brings it back with the route', async () => {
    await removeManagedCaddy();
    await expect(get()).rejects.toThrow(/ECONNREFUSED/);
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`route ${HOST} is missing from the proxy`);
    // A plan only reads: it did not start Caddy.
    expect(await managedCaddy()).toEqual([]);
    const applied = await run('apply', '--auto-approve');
    expect(applied.code).toBe(0);
    expect((await managedCaddy())[0]?.State).toBe('running');
    expect(await get()).toEqual({ status: 200, body: 'managed' });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 90_000);

  it('keeps the routes across a restart of the container (the last config is resumed)', async () => {
    const [caddy] = await managedCaddy();
    await testDocker().getContainer(caddy.Id).restart();
    const deadline = Date.now() + 15_000;
    let last: unknown;
    while (Date.now() < deadline) {
      last = await get().catch((e: Error) => e.message);
      if ((last as { body?: string }).body === 'managed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(last).toEqual({ status: 200, body: 'managed' });
  }, 60_000);
});
