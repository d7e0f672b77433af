import { isIP } from 'node:net';
import { parseDuration, parseMemory } from '../model/units.js';
import type { FieldPath } from '../load/positions.js';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Secretish } from '../model/sensitive.js';

/** What the HTTP server and the GraphQL API accept; each a hard cap, checked before any expensive work. */
export interface ApiLimits {
  /** Largest `/graphql` request body, bytes. */
  bodyBytes: number;
  /** Lexical tokens of one query. */
  tokens: number;
  aliases: number;
  directives: number;
  /** Field nesting (introspection not counted). */
  depth: number;
  /** Fields of one query, fragments expanded. */
  fields: number;
  /** Each field 1, a connection's selection times its `first`/`last`. */
  cost: number;
  /** Open subscription streams (SSE) of one client address, and of all clients. */
  subscriptionsPerClient: number;
  subscriptions: number;
  /** Open TCP connections to the server. */
  connections: number;
}

/** `api` of ploy.config.yaml after defaults. */
export interface ApiConfig {
  listen: string;
  token?: Secretish;
  /** Host names served besides loopback names, IP addresses and the listen address (DNS rebinding). */
  hosts: string[];
  /** Serve a non-loopback `listen` without a token; warned about at every start. */
  insecureNoToken: boolean;
  /** Serve GraphiQL (bundled, no CDN) at GET /graphql in a browser. */
  graphiql: boolean;
  limits: ApiLimits;
  /** Node's requestTimeout (headers and body), headersTimeout and keepAliveTimeout, ms. */
  timeouts: { requestMs: number; headersMs: number; keepAliveMs: number };
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  bodyBytes: 100 * 1024,
  tokens: 2000,
  aliases: 30,
  directives: 30,
  depth: 12,
  fields: 300,
  cost: 250_000,
  subscriptionsPerClient: 32,
  subscriptions: 512,
  connections: 1024,
};

export const DEFAULT_API_TIMEOUTS: ApiConfig['timeouts'] = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 };

const LIMIT_KEYS = Object.keys(DEFAULT_API_LIMITS).filter((k) => k !== 'bodyBytes') as Array<
  Exclude<keyof ApiLimits, 'bodyBytes'>
>;

/**
 * `api` of ploy.config.yaml after the schema has accepted its shape: defaults, sizes and
 * durations as numbers. What the schema cannot say is a diagnostic: node refuses a header
 * timeout longer than the request timeout it is part of.
 */
export function apiSettings(
  raw: Record<string, any>,
  posOf: (path: FieldPath) => SourcePos,
): { settings: ApiConfig; diagnostics: Diagnostic[] } {
  const api = raw.api ?? {};
  const limitsIn = api.limits ?? {};
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS };
  for (const key of LIMIT_KEYS) if (typeof limitsIn[key] === 'number') limits[key] = limitsIn[key];
  if (typeof limitsIn.body === 'string') limits.bodyBytes = parseMemory(limitsIn.body) ?? limits.bodyBytes;
  const t = api.timeouts ?? {};
  const ms = (key: string, dflt: number) => (typeof t[key] === 'string' ? (parseDuration(t[key]) ?? dflt) : dflt);
  const timeouts = {
    requestMs: ms('request', DEFAULT_API_TIMEOUTS.requestMs),
    headersMs: ms('headers', DEFAULT_API_TIMEOUTS.headersMs),
    keepAliveMs: ms('keepAlive', DEFAULT_API_TIMEOUTS.keepAliveMs),
  };
  const diagnostics: Diagnostic[] = [];
  if (timeouts.requestMs > 0 && timeouts.headersMs > timeouts.requestMs) {
    diagnostics.push(
      error(
        'config',
        `api.timeouts.headers (${t.headers ?? '10s'}) is longer than api.timeouts.request (${t.request ?? '30s'}), which includes the headers; make it shorter.`,
        posOf(['api', 'timeouts', typeof t.headers === 'string' ? 'headers' : 'request']),
      ),
    );
  }
  return {
    settings: {
      listen: api.listen ?? '127.0.0.1:4000',
      token: api.token,
      hosts: Array.isArray(api.hosts) ? api.hosts.map((h: string) => h.toLowerCase()) : [],
      insecureNoToken: api.insecureNoToken === true,
      graphiql: api.graphiql !== false,
      limits,
      timeouts,
    },
    diagnostics,
  };
}

/** The host of a `listen` setting: `''` (a bare port) listens on loopback. */
export function listenHost(listen: string): string {
  const m = /^(?:\[?([^\]]*)\]?:)?\d+$/.exec(listen);
  return m?.[1] || '127.0.0.1';
}

/** Whether an address or name reaches this machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1';
}

/**
 * Why `ploy serve` must not start with these settings, as one line naming the setting, or
 * undefined. A listen address other machines can reach needs a token: without one anyone on
 * the network reads everything the API serves. `api.insecureNoToken: true` is the explicit way out.
 */
export function exposureProblem(api: ApiConfig): string | undefined {
  if (isLoopback(listenHost(api.listen)) || api.token !== undefined || api.insecureNoToken) return undefined;
  return (
    `api.listen is ${api.listen}, which other machines can reach, and api.token is not set: ` +
    'set api.token (or PLOY_API_TOKEN), listen on 127.0.0.1, or set api.insecureNoToken: true to serve without a token.'
  );
}

/** The warning to log at every start when the API is reachable from the network without a token. */
export function exposureWarning(api: ApiConfig): string | undefined {
  if (isLoopback(listenHost(api.listen)) || api.token !== undefined) return undefined;
  return `INSECURE: api.listen is ${api.listen} and api.token is not set (api.insecureNoToken: true): anyone who reaches this port reads everything the API serves.`;
}
