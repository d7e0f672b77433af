import http from 'node:http';
import { type Proxy, ProxyOperationError, type ProxyRoute, ProxyUnavailableError } from '../../ports/proxy.js';
import { byPrecedence, fromCaddyRoute, ROUTE_PREFIX, SERVER, toCaddyRoute } from './caddy-routes.js';

const TIMEOUT_MS = 10_000;

/**
 * The Proxy port over Caddy's admin API. Ploy owns the server `ploy` (listening where
 * proxy.caddy.listen says) and its routes (`@id` ploy.<app>.<n>), plus one TLS automation
 * policy for hosts with `tls: internal` and the skip list for `tls: off`. Route changes are
 * targeted requests at those paths: nothing else in Caddy's config is reloaded or touched.
 */
export class CaddyProxy implements Proxy {
  constructor(
    private readonly admin: string,
    private readonly listen: string[],
  ) {}

  async ensureServer(): Promise<void> {
    const apps = await this.get('/config/apps');
    const server = { listen: this.listen, routes: [], automatic_https: { skip: [] } };
    if (apps === null) return this.send('PUT', '/config/apps', { http: { servers: { [SERVER]: server } } });
    const http = await this.get('/config/apps/http');
    if (http === null) return this.send('PUT', '/config/apps/http', { servers: { [SERVER]: server } });
    if ((await this.get('/config/apps/http/servers')) === null)
      return this.send('PUT', '/config/apps/http/servers', { [SERVER]: server });
    if ((await this.get(`/config/apps/http/servers/${SERVER}`)) === null)
      await this.send('PUT', `/config/apps/http/servers/${SERVER}`, server);
  }

  async listRoutes(): Promise<ProxyRoute[]> {
    const routes = ((await this.get(`/config/apps/http/servers/${SERVER}/routes`)) ?? []) as Record<string, any>[];
    const skip = new Set<string>(
      ((await this.get(`/config/apps/http/servers/${SERVER}/automatic_https/skip`)) ?? []) as string[],
    );
    const internal = new Set<string>(((await this.get('/id/ploy.tls/subjects').catch(() => null)) ?? []) as string[]);
    const tlsOf = (host: string): ProxyRoute['tls'] => (skip.has(host) ? 'off' : internal.has(host) ? 'internal' : 'auto');
    return routes.flatMap((r) => fromCaddyRoute(r, tlsOf) ?? []);
  }

  async putRoute(route: ProxyRoute): Promise<void> {
    const routes = await this.listRoutes();
    // Every admin change is a config reload in Caddy: an unchanged route is not written again.
    const same = routes.find((r) => r.id === route.id);
    if (same && JSON.stringify(toCaddyRoute(same)) === JSON.stringify(toCaddyRoute(route)) && same.tls === route.tls) return;
    await this.writeRoutes([...routes.filter((r) => r.id !== route.id), route], routes);
  }

  async setUpstreams(id: string, upstreams: string[]): Promise<void> {
    await this.send(
      'PATCH',
      `/id/${id}/handle/0/upstreams`,
      upstreams.map((dial) => ({ dial })),
    );
  }

  async removeRoute(id: string): Promise<void> {
    const routes = await this.listRoutes();
    if (!routes.some((r) => r.id === id)) return;
    await this.writeRoutes(
      routes.filter((r) => r.id !== id),
      routes,
    );
  }

  async inFlight(upstreams: string[]): Promise<number> {
    const all = ((await this.get('/reverse_proxy/upstreams')) ?? []) as Array<{ address: string; num_requests: number }>;
    const wanted = new Set(upstreams);
    return all.filter((u) => wanted.has(u.address)).reduce((n, u) => n + u.num_requests, 0);
  }

  /**
   * Writes our server's routes (ordered: longer path prefixes first) and the TLS settings of
   * their hosts. Only paths under our server and our own policy are written.
   */
  private async writeRoutes(routes: ProxyRoute[], before: ProxyRoute[]): Promise<void> {
    const sorted = [...routes].sort(byPrecedence);
    const hosts = (rs: ProxyRoute[], tls: ProxyRoute['tls']) =>
      [...new Set(rs.filter((r) => r.tls === tls).map((r) => r.host))].sort();
    // TLS settings first: a host must not be served for a moment with the wrong kind of TLS.
    if (hosts(sorted, 'off').join() !== hosts(before, 'off').join()) {
      await this.set(`/config/apps/http/servers/${SERVER}/automatic_https`, { skip: hosts(sorted, 'off') });
    }
    if (hosts(sorted, 'internal').join() !== hosts(before, 'internal').join())
      await this.setInternalTls(hosts(sorted, 'internal'));
    await this.send('PATCH', `/config/apps/http/servers/${SERVER}/routes`, sorted.map(toCaddyRoute));
  }

  private async setInternalTls(hosts: string[]): Promise<void> {
    const existing = await this.get('/id/ploy.tls').catch(() => null);
    if (hosts.length === 0) {
      if (existing) await this.send('DELETE', '/id/ploy.tls');
      return;
    }
    const policy = { '@id': 'ploy.tls', subjects: hosts, issuers: [{ module: 'internal' }] };
    if (existing) return this.send('PATCH', '/id/ploy.tls', policy);
    if ((await this.get('/config/apps/tls')) === null) {
      return this.send('PUT', '/config/apps/tls', { automation: { policies: [policy] } });
    }
    if ((await this.get('/config/apps/tls/automation')) === null) {
      return this.send('PUT', '/config/apps/tls/automation', { policies: [policy] });
    }
    if ((await this.get('/config/apps/tls/automation/policies')) === null) {
      return this.send('PUT', '/config/apps/tls/automation/policies', [policy]);
    }
    // Before the others: Caddy uses the first policy whose subjects match.
    await this.send('PUT', '/config/apps/tls/automation/policies/0', policy);
  }

  /** PUT creates a key and PATCH replaces one; Caddy refuses either the wrong way round. */
  private async set(path: string, value: unknown): Promise<void> {
    await this.send((await this.get(path)) === null ? 'PUT' : 'PATCH', path, value);
  }

  private async get(path: string): Promise<unknown> {
    const res = await this.request('GET', path);
    if (res.status === 404 || res.status === 400) return null;
    if (res.status >= 300) throw new ProxyOperationError(`Caddy refused GET ${path}: ${res.text.trim() || res.status}`);
    return res.text.trim() ? JSON.parse(res.text) : null;
  }

  private async send(method: string, path: string, body?: unknown): Promise<void> {
    const res = await this.request(method, path, body);
    if (res.status >= 300) throw new ProxyOperationError(`Caddy refused ${method} ${path}: ${res.text.trim() || res.status}`);
  }

  /**
   * One request on a fresh connection: Caddy restarts its admin server's connections when it
   * loads a config change, so a pooled keep-alive connection may be dead. A refused or reset
   * connection is retried for a moment (every request here is idempotent).
   */
  private async request(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.admin);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let last: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * attempt));
      try {
        return await new Promise((resolve, reject) => {
          const req = http.request(
            url,
            {
              method,
              agent: false,
              timeout: TIMEOUT_MS,
              headers:
                payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (d) => (text += d));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
              res.on('error', reject);
            },
          );
          req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
          req.on('error', reject);
          req.end(payload);
        });
      } catch (e) {
        last = e;
      }
    }
    throw new ProxyUnavailableError(`Caddy's admin API at ${this.admin} is not reachable: ${(last as Error).message}`, {
      cause: last,
    });
  }
}

export { ROUTE_PREFIX };
