import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CaddyProxy } from '../../engine/adapters/caddy/caddy-proxy.js';
import { ProxyUnavailableError } from '../../engine/ports/proxy.js';
import {
  caddyUnavailableReason,
  freePort,
  getThroughProxy,
  requireCaddy,
  type RunningCaddy,
  startCaddy,
} from '../support/caddy.js';

/** The Caddy adapter against a real Caddy on loopback, with plain HTTP backends as upstreams. */
let caddy: RunningCaddy | undefined;
let listen: number;
const backends: http.Server[] = [];

async function backend(body: string, health = 200): Promise<string> {
  const server = http.createServer((req, res) => {
    if (req.url === '/health') res.statusCode = health;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  backends.push(server);
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

// A new connection per request (getThroughProxy): Caddy closes idle keep-alive connections when
// it loads a config change, and a pooled one reused after that fails with "socket hang up".
const get = (host: string, path = '/') => getThroughProxy(listen, host, path);

beforeAll(async () => {
  if (caddyUnavailableReason()) return;
  caddy = await startCaddy();
  listen = await freePort();
}, 30_000);
afterAll(async () => {
  await caddy?.stop();
  for (const b of backends) b.close();
});
beforeEach((ctx) => requireCaddy(ctx));

describe('the Caddy proxy adapter', () => {
  it('creates its server, serves routes by host and path, and lists them back', async () => {
    const proxy = new CaddyProxy(caddy!.admin, [`127.0.0.1:${listen}`]);
    await proxy.ensureServer();
    await proxy.ensureServer(); // idempotent
    const [a, b] = [await backend('shop'), await backend('api')];
    await proxy.putRoute({ id: 'ploy.shop.0', app: 'shop', host: 'shop.test', path: '/', upstreams: [a], tls: 'off' });
    await proxy.putRoute({ id: 'ploy.api.0', app: 'api', host: 'shop.test', path: '/api', upstreams: [b], tls: 'off' });
    expect(await get('shop.test', '/')).toEqual({ status: 200, body: 'shop' });
    expect(await get('shop.test', '/api/orders')).toEqual({ status: 200, body: 'api' });
    const routes = await proxy.listRoutes();
    expect(routes.map((r) => [r.id, r.host, r.path, r.upstreams, r.tls])).toEqual([
      ['ploy.api.0', 'shop.test', '/api', [b], 'off'],
      ['ploy.shop.0', 'shop.test', '/', [a], 'off'],
    ]);
  });

  it('switches upstreams with a targeted change, and removes a route', async () => {
    const proxy = new CaddyProxy(caddy!.admin, [`127.0.0.1:${listen}`]);
    const c = await backend('shop v2');
    await proxy.setUpstreams('ploy.shop.0', [c]);
    expect((await get('shop.test')).body).toBe('shop v2');
    expect(await proxy.inFlight([c])).toBe(0);
    await proxy.removeRoute('ploy.api.0');
    await proxy.removeRoute('ploy.api.0');
    expect((await proxy.listRoutes()).map((r) => r.id)).toEqual(['ploy.shop.0']);
  });

  it("checks each upstream at the app's health path and takes a failing one out of the rotation", async () => {
    const proxy = new CaddyProxy(caddy!.admin, [`127.0.0.1:${listen}`]);
    const [good, sick] = [await backend('good'), await backend('sick', 503)];
    const route = {
      id: 'ploy.checked.0',
      app: 'checked',
      host: 'checked.test',
      path: '/',
      upstreams: [good, sick],
      tls: 'off' as const,
      healthCheck: { path: '/health', scheme: 'http' as const, intervalMs: 200, timeoutMs: 1000 },
    };
    await proxy.putRoute(route);
    // Listed back as written, so an unchanged route is never written (reloaded) again.
    expect((await proxy.listRoutes()).find((r) => r.id === route.id)).toEqual(route);
    await new Promise((r) => setTimeout(r, 1000));
    const bodies = new Set<string>();
    for (let i = 0; i < 10; i++) bodies.add((await get('checked.test')).body);
    expect([...bodies]).toEqual(['good']);
    await proxy.removeRoute(route.id);
  });

  it('leaves config it does not own alone', async () => {
    const other = await backend('not ours');
    const port = await freePort();
    const res = await fetch(`${caddy!.admin}/config/apps/http/servers/theirs`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        listen: [`127.0.0.1:${port}`],
        routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: other }] }] }],
      }),
    });
    expect(res.ok).toBe(true);
    const proxy = new CaddyProxy(caddy!.admin, [`127.0.0.1:${listen}`]);
    await proxy.putRoute({ id: 'ploy.x.0', app: 'x', host: 'x.test', path: '/', upstreams: [other], tls: 'off' });
    await proxy.removeRoute('ploy.x.0');
    const theirs = await (await fetch(`${caddy!.admin}/config/apps/http/servers/theirs`)).json();
    expect(theirs.routes).toHaveLength(1);
    expect((await proxy.listRoutes()).map((r) => r.id)).toEqual(['ploy.shop.0']);
  });

  it('reports an admin API that does not answer as unavailable', async () => {
    const proxy = new CaddyProxy(`http://127.0.0.1:${await freePort()}`, [':80']);
    await expect(proxy.listRoutes()).rejects.toBeInstanceOf(ProxyUnavailableError);
  });
});
