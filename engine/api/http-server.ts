import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ApiConfig, DEFAULT_API_LIMITS, DEFAULT_API_TIMEOUTS } from '../config/api-settings.js';
import type { Secretish } from '../config/types.js';
import type { HealthReport } from '../runtime/engine-health.js';
import type { ReconcileResult } from '../runtime/reconciler.js';
import { graphiqlPage, isGraphiqlRequest } from './graphiql.js';
import { hostGuard } from './host-check.js';
import type { JobRunAnswer } from './job-run.js';
import type { Metrics } from './metrics.js';
import type { Api } from './server.js';
import { staticFiles } from './static-files.js';
import { streamCounter, wantsStream } from './stream-caps.js';
import { checkBearer, type DeliveryLog, handleGitHook, MAX_WEBHOOK_BODY_BYTES } from './webhooks.js';

export interface HttpDeps {
  version: string;
  /** The last reconcile's result, for the health endpoint. */
  lastSync(): ReconcileResult | undefined;
  /** Whether this instance leads (reconciles, checks, schedules) or follows another; default leader. */
  role?(): 'leader' | 'follower';
  /** The engine's health (ok, degraded or failing, with reasons); default: always ok. */
  health?(): HealthReport;
  /** `webhook.secret`: without one, /hooks/git refuses. */
  webhookSecret?: Secretish;
  /** The git source's ref; undefined for a local directory. */
  sourceRef?: string;
  /** `api.token`: /hooks/sync needs it as a bearer token. */
  apiToken?: Secretish;
  /** A verified push for the source's ref: fetch now and reconcile. */
  onPush(): void;
  /** An authenticated request to reconcile now. */
  onSync(): void;
  /** `GET|POST /push/<monitor>?token=`: a push monitor's call (`status=down` and `msg` report a failure). */
  onMonitorPush?(monitor: string, token: string | null, report: { ok: boolean; message?: string }): Promise<PushAnswer>;
  /** `POST /jobs/<name>/run` (bearer token): a manual run on the leader. */
  onJobRun?(job: string): Promise<JobRunAnswer>;
  /** The GraphQL API at /graphql, when the store offers a read model. */
  api?: Api;
  /** `GET /metrics`, behind the API token when one is set. */
  metrics?: Metrics;
  /** The built web UI (`web/dist`), served at `/`; undefined: `/` says how to build it. */
  webRoot?: string;
  /** `api` settings the server enforces (hosts, GraphiQL, limits, timeouts); default: the defaults. */
  settings?: Pick<ApiConfig, 'hosts' | 'graphiql' | 'limits' | 'timeouts'>;
  /** Webhook delivery ids already taken: a replay is ignored. */
  deliveries?: DeliveryLog;
  /** Where refused webhooks are explained (their 401 says nothing). */
  log?: { warn(obj: object, msg: string): void };
}

/** How a push was taken: accepted, or refused as an unknown monitor or a wrong token. */
export type PushAnswer = 'accepted' | 'unknown-monitor' | 'forbidden';

/** `host:port` → its parts; a bare port listens on loopback. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*)\]?:)?(\d+)$/.exec(listen);
  if (!m) throw new Error(`api.listen "${listen}" is not host:port`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

const json = (res: ServerResponse, status: number, body: object) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * Reads a request body, giving up (undefined) past `limit` bytes — at once on its Content-Length,
 * or as soon as that many bytes arrived — so a huge body cannot exhaust memory. The rest is
 * left unread: answer with {@link tooLarge}, which discards it.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Answers 413 at once, then reads and discards the rest of the body before closing (a
 * "lingering close", as nginx does): a server that closes while the client still sends makes
 * the kernel reset the connection, and the client loses the answer with it. Discarding costs no
 * parsing and no memory; a client still sending after {@link LINGER_MS} is cut off.
 */
const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
  const body = JSON.stringify({ error: 'payload too large' });
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  // The whole answer goes out now; ending the response is what closes the connection.
  res.write(body);
  const close = () => {
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(() => {
    res.end();
    req.socket.destroy();
  }, LINGER_MS);
  if (req.readableEnded) return close();
  req.once('end', close);
  req.resume();
};

const LINGER_MS = 2000;

/** The body limit of the routes that take no body of interest (`/hooks/sync`, `/jobs/<name>/run`, `/push/<monitor>`). */
const SMALL_BODY = 64 * 1024;

const UNAUTHORIZED = { error: 'a valid Authorization: Bearer <api.token> is required' };

const lowerHeaders = (req: IncomingMessage) =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));

/**
 * The engine's HTTP server: `GET /healthz` (200 while the engine runs, with the last sync),
 * `POST /hooks/git` (verified push events), `POST /hooks/sync` (bearer token), `/push/<monitor>`
 * (push monitors), `POST /jobs/<name>/run` (bearer token), the GraphQL API at `/graphql` (and
 * GraphiQL there for browsers), `GET /metrics` (Prometheus), and the read-only web UI at every
 * other GET path.
 *
 * A public-facing server: a request for a Host it does not know gets 421, a browser request
 * from another origin 403 (host-check.ts), both without data; `/healthz` then answers only its
 * status, as it does without the token when one is set. Bodies, connections, subscription
 * streams and the time a client may take to send a request are capped (`api.limits`, `api.timeouts`).
 */
export function startHttpServer(listen: string, deps: HttpDeps): Promise<Server> {
  const { host, port } = parseListen(listen);
  const limits = deps.settings?.limits ?? DEFAULT_API_LIMITS;
  const timeouts = deps.settings?.timeouts ?? DEFAULT_API_TIMEOUTS;
  const web = staticFiles(deps.webRoot);
  const graphiql = deps.settings?.graphiql === false ? undefined : graphiqlPage();
  const guard = hostGuard({ listen, hosts: deps.settings?.hosts ?? [] });
  const streams = streamCounter({ perClient: limits.subscriptionsPerClient, total: limits.subscriptions });
  const server = createServer({
    requestTimeout: timeouts.requestMs,
    headersTimeout: timeouts.headersMs,
    // Node looks for overdue requests every 30 s by default: a slow sender would keep a socket that long past its timeout.
    connectionsCheckingInterval: Math.max(250, Math.min(1000, timeouts.headersMs / 2 || 1000)),
  });
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.maxConnections = limits.connections;
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const verdict = guard(req);
      if (req.method === 'GET' && url.pathname === '/healthz') {
        const health = deps.health?.() ?? { status: 'ok', reasons: [] };
        // Degraded still serves and still checks; failing is when an orchestrator should act.
        const code = health.status === 'failing' ? 503 : 200;
        // Load balancers need only the status; the rest is data, for known hosts and the token's holders.
        if (verdict !== 'ok' || (deps.apiToken !== undefined && !checkBearer(lowerHeaders(req), deps.apiToken)))
          return json(res, code, { status: health.status });
        const last = deps.lastSync();
        // `pending`: git moved and the plan waits (sync.auto off); `drifted`: the world moved.
        return json(res, code, {
          status: health.status,
          ...(health.status !== 'ok' && { reasons: health.reasons, since: health.since?.toISOString() }),
          version: deps.version,
          revision: last?.revision ?? null,
          sync: last?.outcome ?? 'starting',
          pending: last?.outcome === 'planned' && !last.drift,
          drifted: last?.drift === true,
          role: deps.role?.() ?? 'leader',
        });
      }
      // Git hosts and push callers reach the engine by its public name, which the operator may
      // not have listed: these routes prove themselves (a signature, a token) and return no data,
      // so a rebinding page gains nothing from them.
      const machineCall = url.pathname.startsWith('/hooks/') || url.pathname.startsWith('/push/');
      if (verdict === 'unknown-host' && !machineCall)
        return json(res, 421, { error: 'this server does not answer to that Host name; add it to api.hosts' });
      if (verdict === 'foreign-origin' && !machineCall)
        return json(res, 403, { error: 'requests from another origin are refused' });
      if (deps.api && url.pathname === '/graphql') {
        if (isGraphiqlRequest(req, url)) {
          if (graphiql) return await graphiql(req, res);
          return json(res, 404, { error: 'GraphiQL is off (api.graphiql: false)' });
        }
        // Refused on its length before yoga sees it; yoga's own limit (maxRequestBodySize) catches a
        // body sent without one once that many bytes arrived. Nothing of either is parsed.
        if (Number(req.headers['content-length']) > limits.bodyBytes) return tooLarge(req, res);
        if (wantsStream(req)) {
          const admitted = streams.admit(req, res);
          if (admitted !== 'ok')
            return json(res, 429, {
              error: `too many open subscriptions ${admitted === 'client-full' ? 'from this address' : 'on this server'}`,
            });
        }
        return deps.api.handle(req, res);
      }
      if (deps.metrics && req.method === 'GET' && url.pathname === '/metrics') {
        if (deps.api && !deps.api.authorized(lowerHeaders(req))) return json(res, 401, UNAUTHORIZED);
        const text = await deps.metrics.render();
        res.writeHead(200, { 'content-type': deps.metrics.contentType });
        return res.end(text);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/git') {
        const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
        if (!body) return tooLarge(req, res);
        const out = handleGitHook(
          { headers: lowerHeaders(req), rawBody: body },
          { secret: deps.webhookSecret, sourceRef: deps.sourceRef, deliveries: deps.deliveries },
        );
        if (out.reason) deps.log?.warn({ reason: out.reason, remote: req.socket.remoteAddress }, 'webhook refused');
        if (out.fetch) deps.onPush();
        return json(res, out.status, out.body);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/sync') {
        if (!(await readBody(req, SMALL_BODY))) return tooLarge(req, res);
        if (!checkBearer(lowerHeaders(req), deps.apiToken)) return json(res, 401, UNAUTHORIZED);
        deps.onSync();
        return json(res, 202, { accepted: true });
      }
      const jobRun = /^\/jobs\/([a-z0-9-]{1,63})\/run$/.exec(url.pathname);
      if (jobRun && deps.onJobRun && req.method === 'POST') {
        if (!(await readBody(req, SMALL_BODY))) return tooLarge(req, res);
        if (!checkBearer(lowerHeaders(req), deps.apiToken)) return json(res, 401, UNAUTHORIZED);
        const answer = await deps.onJobRun(jobRun[1]);
        return json(res, answer.status, answer.body);
      }
      const push = /^\/push\/([a-z0-9-]{1,63})$/.exec(url.pathname);
      if (push && deps.onMonitorPush && (req.method === 'GET' || req.method === 'POST')) {
        if (req.method === 'POST' && !(await readBody(req, SMALL_BODY))) return tooLarge(req, res);
        const ok = url.searchParams.get('status') !== 'down';
        const message = url.searchParams.get('msg')?.slice(0, 500) || undefined;
        const answer = await deps.onMonitorPush(push[1], url.searchParams.get('token'), { ok, message });
        // A wrong token and an unknown monitor answer alike: a probe must not learn which names exist.
        if (answer !== 'accepted') return json(res, 404, { error: 'no push monitor with that name and token' });
        return json(res, 200, { ok: true });
      }
      if (await web(req, res, url.pathname)) return;
      json(res, 404, { error: 'not found' });
    } catch {
      // Never a stack trace to a client; the engine keeps running.
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
