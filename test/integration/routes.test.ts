import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
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
 * Routes through a real Caddy (Debian's binary on loopback) to apps on the real Docker Engine:
 * a route serves the app, a route deleted by hand is detected and healed, and — the headline —
 * a client sending requests continuously through Caddy sees no failure while the app is updated
 * three times and one failing update is rolled back.
 */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const name = `shop-${RUN}`;
const HOST = `shop-${RUN}.test`;
let caddy: RunningCaddy | undefined;
let listen: number;
let dir: string;

const SERVE = 'mkdir -p /www && echo "$GREETING" > /www/index.html; trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait';
const app = (greeting: string, command = SERVE) => `
kind: App
name: ${name}
image: ${IMAGE}
command: ${JSON.stringify(command)}
env: {GREETING: ${greeting}}
networks: [routetest-${RUN}]
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 2}
update: {monitor: 1s, drainTimeout: 2s}
routes:
  - {host: ${HOST}, port: 8080, tls: "off"}
`;

const run = (...args: string[]) => ploy(args, { cwd: dir, docker: true });

/** GET through Caddy with the route's Host header. */
const get = (path = '/') => getThroughProxy(listen, HOST, path);

beforeAll(async () => {
  if (caddyUnavailableReason() || !(await dockerAvailable())) return;
  await ensureTestImage(IMAGE);
  caddy = await startCaddy();
  listen = await freePort();
  dir = await makeDir({
    'ploy.config.yaml': `source: {path: ./src}\nstore: {url: embedded}\nproxy: {caddy: {admin: "${caddy.admin}", listen: ["127.0.0.1:${listen}"]}}\n`,
    'src/app.yaml': app('v1'),
  });
  await seedEmbeddedStore(join(dir, '.ploy'));
}, 120_000);

afterAll(async () => {
  await caddy?.stop();
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

beforeEach(async (ctx) => {
  requireCaddy(ctx);
  await requireDocker(ctx);
});

describe('routes through Caddy', () => {
  it('serves the app at its host once it is deployed', async () => {
    const applied = await run('apply', '--auto-approve');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).not.toContain('✗');
    expect(applied.code).toBe(0);
    expect(await get()).toEqual({ status: 200, body: 'v1' });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 60_000);

  it('detects a route deleted by hand through the admin API, and heals it without new containers', async () => {
    const before = (await testDocker().listContainers({ filters: { label: [`${PLOY_LABELS.app}=${name}`] } })).map((c) => c.Id);
    const res = await fetch(`${caddy!.admin}/id/ploy.${name}.0`, { method: 'DELETE' });
    expect(res.ok).toBe(true);
    expect((await get()).body).toBe(''); // Caddy's empty answer when no route matches
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`route ${HOST} is missing from the proxy (removed by hand?)`);
    expect(plan.stdout).toMatch(new RegExp(`~ App ${name}`));
    expect((await run('apply', '--auto-approve')).code).toBe(0);
    expect(await get()).toEqual({ status: 200, body: 'v1' });
    const after = (await testDocker().listContainers({ filters: { label: [`${PLOY_LABELS.app}=${name}`] } })).map((c) => c.Id);
    expect(after).toEqual(before);
  }, 60_000);

  it('drops no request while the app is updated three times and a failing update is rolled back', async () => {
    let sent = 0;
    let resets = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    let stop = false;
    const started = Date.now();
    // Two clients in a loop, each paced to ~50 requests a second: well over 50 a second together.
    const client = async () => {
      while (!stop) {
        const t = Date.now();
        sent++;
        try {
          // Like a browser, a GET whose fresh connection is reset before any answer is sent again
          // once: Caddy can reset a connection accepted at the instant it loads a config change
          // (measured about once in 7,000 requests). HTTP errors are never retried.
          const r = await get().catch((e: Error) => {
            if (!/ECONNRESET|socket hang up/.test(e.message)) throw e;
            resets++;
            return get();
          });
          // Caddy answers an unmatched request with an empty 200: that is a failure too.
          if (r.status !== 200 || !r.body)
            failures.push(`HTTP ${r.status}: "${r.body.slice(0, 80)}" after ${Date.now() - started} ms`);
          else seen.add(r.body);
        } catch (e) {
          failures.push((e as Error).message);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 20 - (Date.now() - t))));
      }
    };
    const clients = [client(), client()];
    const results: number[] = [];
    for (const version of ['v2', 'v3', 'v4']) {
      await writeFiles(join(dir, 'src'), { 'app.yaml': app(version) });
      results.push((await run('apply', '--auto-approve')).code);
    }
    await writeFiles(join(dir, 'src'), { 'app.yaml': app('v5', 'echo broken; exec sleep 300') });
    const failed = await run('apply', '--auto-approve');
    results.push(failed.code);
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all(clients);
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `${failures.slice(0, 5).join(' | ')}\nzero-downtime: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s) through Caddy across 3 updates and 1 rollback: ${failures.length} failed, ${resets} connection resets retried; versions served: ${[...seen].join(', ')}`,
    );
    expect(results).toEqual([0, 0, 0, 1]);
    expect(failed.stdout).toContain('rolled back');
    expect(failures).toEqual([]);
    expect(sent / seconds).toBeGreaterThanOrEqual(50);
    expect([...seen]).toEqual(expect.arrayContaining(['v1', 'v2', 'v3', 'v4']));
    expect(seen.has('v5')).toBe(false);
    expect(await get()).toEqual({ status: 200, body: 'v4' });
  }, 180_000);

  it('removes the routes of a deleted app', async () => {
    await writeFiles(join(dir, 'src'), {
      'app.yaml': `kind: Notification\nname: ops-${RUN}\nwebhook: {url: "http://127.0.0.1:9/"}\n`,
    });
    expect((await run('apply', '--auto-approve')).code).toBe(0);
    const routes = await (await fetch(`${caddy!.admin}/config/apps/http/servers/ploy/routes`)).json();
    expect(routes).toEqual([]);
  }, 60_000);
});
