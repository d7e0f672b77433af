/**
 * The proxy port: the routes Ploy owns in a reverse proxy (Caddy, through its admin API).
 * Ploy owns one server and one route per app route, each with a stable id; it never reads,
 * changes or removes anything else in the proxy's config.
 */
export interface Proxy {
  /** Makes Ploy's server exist (listening where configured); leaves the rest of the config alone. */
  ensureServer(): Promise<void>;
  /** The routes Ploy owns, as the proxy has them now. */
  listRoutes(): Promise<ProxyRoute[]>;
  /** Creates or replaces one route (by id). */
  putRoute(route: ProxyRoute): Promise<void>;
  /** Replaces the upstreams of one route: the cutover between old and new containers. */
  setUpstreams(id: string, upstreams: string[]): Promise<void>;
  /** Removes one route; resolves when it is already gone. */
  removeRoute(id: string): Promise<void>;
  /** Requests in flight to these upstreams (`ip:port`), to drain them before their containers stop. */
  inFlight(upstreams: string[]): Promise<number>;
}

export interface ProxyRoute {
  /** Stable id: `ploy.<app>.<index>`. */
  id: string;
  app: string;
  host: string;
  /** Path prefix, `/` for all. */
  path: string;
  /** `ip:port` of each container serving it. */
  upstreams: string[];
  tls: 'auto' | 'internal' | 'off';
  /**
   * The proxy's own active check of each upstream (from the app's `healthcheck.http`): a
   * replica that stops answering is taken out of the rotation until it answers again.
   */
  healthCheck?: ProxyHealthCheck;
}

export interface ProxyHealthCheck {
  path: string;
  /** The container port probed, when it is not the route's. */
  port?: number;
  scheme: 'http' | 'https';
  intervalMs: number;
  timeoutMs: number;
}

/** The proxy cannot be reached: a fault of the machine, not of the config. */
export class ProxyUnavailableError extends Error {
  override readonly name: string = 'ProxyUnavailableError';
}

/** The proxy refused a change (bad config, conflict). */
export class ProxyOperationError extends Error {
  override readonly name: string = 'ProxyOperationError';
}
