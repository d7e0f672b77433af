import type { ProxyHealthCheck, ProxyRoute } from '../../ports/proxy.js';

/** The name of the server Ploy owns in Caddy's config. */
export const SERVER = 'ploy';
export const ROUTE_PREFIX = 'ploy.';

/** Caddy JSON of one route: host (and path prefix) matched, reverse-proxied to the containers. */
export function toCaddyRoute(r: ProxyRoute): Record<string, unknown> {
  const match: Record<string, string[]> = { host: [r.host] };
  if (r.path !== '/') match.path = [r.path, `${r.path.replace(/\/$/, '')}/*`];
  return {
    '@id': r.id,
    match: [match],
    handle: [
      {
        handler: 'reverse_proxy',
        upstreams: r.upstreams.map((dial) => ({ dial })),
        // A request that cannot reach one container tries another for a while instead of failing.
        load_balancing: { selection_policy: { policy: 'round_robin' }, try_duration: '5s', try_interval: '100ms' },
        health_checks: {
          passive: { fail_duration: '10s', max_fails: 1 },
          ...(r.healthCheck ? { active: toActiveCheck(r.healthCheck) } : {}),
        },
        ...(r.healthCheck?.scheme === 'https' ? { transport: { protocol: 'http', tls: { insecure_skip_verify: true } } } : {}),
      },
    ],
    terminal: true,
  };
}

/** Caddy's active health check; durations in Caddy's JSON are nanoseconds. */
function toActiveCheck(h: ProxyHealthCheck): Record<string, unknown> {
  return {
    uri: h.path,
    ...(h.port ? { port: h.port } : {}),
    interval: h.intervalMs * 1e6,
    timeout: h.timeoutMs * 1e6,
  };
}

function fromActiveCheck(
  raw: Record<string, any> | undefined,
  transport: Record<string, any> | undefined,
): ProxyHealthCheck | undefined {
  if (!raw) return undefined;
  const ms = (v: unknown) => (typeof v === 'number' ? v / 1e6 : 0);
  return {
    path: raw.uri ?? raw.path ?? '/',
    ...(raw.port ? { port: raw.port } : {}),
    scheme: transport?.tls ? 'https' : 'http',
    intervalMs: ms(raw.interval),
    timeoutMs: ms(raw.timeout),
  };
}

/** Our route back from Caddy's JSON (what was applied, as Caddy has it now). */
export function fromCaddyRoute(raw: Record<string, any>, tlsOf: (host: string) => ProxyRoute['tls']): ProxyRoute | undefined {
  const id = raw['@id'];
  if (typeof id !== 'string' || !id.startsWith(ROUTE_PREFIX)) return undefined;
  const match = raw.match?.[0] ?? {};
  const host = match.host?.[0] ?? '';
  const path = match.path?.[0] ?? '/';
  const handler = raw.handle?.[0] ?? {};
  const upstreams = (handler.upstreams ?? []).map((u: { dial: string }) => u.dial);
  const healthCheck = fromActiveCheck(handler.health_checks?.active, handler.transport);
  return {
    id,
    app: id.slice(ROUTE_PREFIX.length).replace(/\.\d+$/, ''),
    host,
    path,
    upstreams,
    tls: tlsOf(host),
    ...(healthCheck ? { healthCheck } : {}),
  };
}

/** Routes sorted so that Caddy tries a longer path prefix of a host before a shorter one. */
export const byPrecedence = (a: ProxyRoute, b: ProxyRoute) =>
  a.host === b.host ? b.path.length - a.path.length : a.host < b.host ? -1 : 1;
