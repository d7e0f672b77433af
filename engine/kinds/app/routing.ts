import type { Clock } from '../../ports/clock.js';
import type { ContainerRuntime, ServiceInfo } from '../../ports/container-runtime.js';
import type { Proxy, ProxyHealthCheck, ProxyRoute } from '../../ports/proxy.js';
import type { AppSpec } from '../spec-types.generated.js';
import { list } from '../shared.js';
import { parseDuration } from '../../model/units.js';

interface RouteSpec {
  host: string;
  path: string;
  port: number;
  tls: ProxyRoute['tls'];
}

/** How long after a switch the in-flight count is first trusted. */
const SETTLE_MS = 500;

export const routeId = (app: string, index: number) => `ploy.${app}.${index}`;

const routesOf = (spec: AppSpec) => list<RouteSpec>(spec.routes);

/** Where the proxy sends a route's requests, given the container port the route names. */
export type Upstreams = (containerPort: number) => string[];

/** Standalone: straight to each container, at its address on its first network. */
export const atAddresses =
  (addresses: readonly string[]): Upstreams =>
  (port) =>
    addresses.map((ip) => `${ip}:${port}`);

/**
 * Swarm: to the port the service publishes on the routing mesh, on the node the proxy runs on
 * (127.0.0.1: a Caddy on a Swarm node); the mesh spreads requests over the running tasks.
 */
export const onRoutingMesh =
  (service: ServiceInfo | undefined): Upstreams =>
  (port) =>
    (service?.ports ?? []).filter((p) => p.target === port && p.protocol === 'tcp').map((p) => `127.0.0.1:${p.published}`);

/** The container ports an app's routes name: in Swarm mode, published on the routing mesh. */
export const routedPorts = (spec: AppSpec): number[] => [...new Set(routesOf(spec).map((r) => r.port))];

/** The proxy routes an app declares, with their upstreams. Pure. */
export function appRoutes(app: string, spec: AppSpec, upstreams: Upstreams, opts: { activeChecks?: boolean } = {}): ProxyRoute[] {
  return routesOf(spec).map((r, i) => {
    const healthCheck = opts.activeChecks === false ? undefined : proxyHealthCheck(spec, r.port);
    return {
      id: routeId(app, i),
      app,
      host: r.host,
      path: r.path ?? '/',
      tls: r.tls ?? 'auto',
      upstreams: upstreams(r.port),
      ...(healthCheck ? { healthCheck } : {}),
    };
  });
}

/**
 * The app's `healthcheck.http`, checked by the proxy too, so that a replica that stops
 * answering between deploys leaves the rotation (Ploy gates readiness only during a rollout).
 * Not in Swarm mode (activeChecks: false): there the upstream is the mesh, not one replica.
 */
function proxyHealthCheck(spec: AppSpec, routePort: number): ProxyHealthCheck | undefined {
  const hc = spec.healthcheck as
    { http?: { port: number; path?: string; scheme?: 'http' | 'https' }; interval?: string; timeout?: string } | undefined;
  if (!hc?.http) return undefined;
  return {
    path: hc.http.path ?? '/',
    ...(hc.http.port !== routePort ? { port: hc.http.port } : {}),
    scheme: hc.http.scheme ?? 'http',
    intervalMs: parseDuration(hc.interval ?? '10s') ?? 10_000,
    timeoutMs: parseDuration(hc.timeout ?? '5s') ?? 5_000,
  };
}

/**
 * How the proxy's routes of an app differ from what it declares, with these upstreams;
 * undefined when they match. Pure: the plan's live check of routes.
 */
export function routeDrift(app: string, spec: AppSpec, upstreams: Upstreams, live: readonly ProxyRoute[]): string | undefined {
  const problems: string[] = [];
  const mine = new Map(live.filter((r) => r.app === app).map((r) => [r.id, r]));
  for (const want of appRoutes(app, spec, upstreams)) {
    const have = mine.get(want.id);
    mine.delete(want.id);
    const where = `${want.host}${want.path === '/' ? '' : want.path}`;
    if (!have) problems.push(`route ${where} is missing from the proxy (removed by hand?)`);
    else if (have.host !== want.host || have.path !== want.path) problems.push(`route ${where} was edited in the proxy by hand`);
    else if ([...have.upstreams].sort().join() !== [...want.upstreams].sort().join())
      problems.push(`route ${where} points at other upstreams than the app's containers`);
  }
  for (const extra of mine.values()) problems.push(`route ${extra.host}${extra.path} is no longer declared`);
  return problems.length ? `drift: ${problems.join('; ')}` : undefined;
}

/** The address a container is reached at by the proxy: its first network's IP. */
async function addressOf(runtime: ContainerRuntime, id: string): Promise<string | undefined> {
  const c = await runtime.inspect(id).catch(() => undefined);
  return c?.networks.find((n) => n.ip)?.ip;
}

/**
 * Switches an app's routes while its containers roll: each step adds the containers that are
 * now ready and removes the ones about to stop, then waits (up to `update.drainTimeout`) for
 * requests still in flight to the removed ones. Starts from the containers serving now.
 */
export class RouteSwitch {
  readonly #current = new Map<string, string>();

  private constructor(
    private readonly proxy: Proxy,
    private readonly runtime: ContainerRuntime,
    private readonly app: string,
    private readonly spec: AppSpec,
    private readonly clock: Clock,
  ) {}

  /** Puts the app's routes with the containers serving now (`ids`), and removes routes it no longer declares. */
  static async start(
    proxy: Proxy,
    runtime: ContainerRuntime,
    app: string,
    spec: AppSpec,
    ids: readonly string[],
    clock: Clock,
  ): Promise<RouteSwitch> {
    const s = new RouteSwitch(proxy, runtime, app, spec, clock);
    for (const id of ids) {
      const ip = await addressOf(runtime, id);
      if (ip) s.#current.set(id, ip);
    }
    await putAppRoutes(proxy, app, spec, atAddresses([...s.#current.values()]));
    return s;
  }

  async step(change: { added: string[]; removed: string[] }): Promise<void> {
    const before = [...this.#current.values()].sort().join();
    for (const id of change.added) {
      const ip = await addressOf(this.runtime, id);
      if (ip) this.#current.set(id, ip);
    }
    const leaving = change.removed.flatMap((id) => this.#current.get(id) ?? []);
    for (const id of change.removed) this.#current.delete(id);
    // Each proxy change is a config reload: none when the set of containers is the same.
    if ([...this.#current.values()].sort().join() === before) return;
    for (const r of appRoutes(this.app, this.spec, atAddresses([...this.#current.values()])))
      await this.proxy.setUpstreams(r.id, r.upstreams);
    await this.#drain(leaving);
  }

  async #drain(addresses: string[]): Promise<void> {
    if (addresses.length === 0) return;
    const upstreams = routesOf(this.spec).flatMap((r) => addresses.map((ip) => `${ip}:${r.port}`));
    const timeout = parseDuration(String(this.spec.update?.drainTimeout ?? '30s')) ?? 30_000;
    const nowMs = () => this.clock.now().getTime();
    const deadline = nowMs() + timeout;
    // A request the previous config picked an upstream for just before the switch may not be
    // counted yet: give it a moment to show up before trusting a zero.
    await this.clock.sleep(Math.min(timeout, SETTLE_MS));
    while (nowMs() < deadline && (await this.proxy.inFlight(upstreams).catch(() => 0)) > 0) {
      await this.clock.sleep(100);
    }
  }
}

/** Puts the routes an app declares and removes the ones of its routes it no longer declares. */
export async function putAppRoutes(
  proxy: Proxy,
  app: string,
  spec: AppSpec,
  upstreams: Upstreams,
  opts: { activeChecks?: boolean } = {},
): Promise<void> {
  await proxy.ensureServer();
  const want = appRoutes(app, spec, upstreams, opts);
  for (const r of want) await proxy.putRoute(r);
  const wanted = new Set(want.map((r) => r.id));
  for (const r of await proxy.listRoutes()) if (r.app === app && !wanted.has(r.id)) await proxy.removeRoute(r.id);
}

/** Removes every route of an app (it was deleted, or no longer declares routes). */
export async function removeAppRoutes(proxy: Proxy, app: string): Promise<void> {
  for (const r of await proxy.listRoutes()) if (r.app === app) await proxy.removeRoute(r.id);
}
