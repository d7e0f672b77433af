import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Secretish } from '../config/types.js';
import type { ReconcileResult } from '../runtime/reconciler.js';
import type { JobRunAnswer } from './job-run.js';
import type { Metrics } from './metrics.js';
import type { Api } from './server.js';
import { staticFiles } from './static-files.js';
import { checkBearer, handleGitHook, MAX_WEBHOOK_BODY_BYTES } from './webhooks.js';

export interface HttpDeps {
  version: string;
  /** The last reconcile's result, for the health endpoint. */
  lastSync(): ReconcileResult | undefined;
  /** Whether this instance leads (reconciles, checks, schedules) or follows another; default leader. */
  role?(): 'leader' | 'follower';
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

/** Reads a request body, giving up (undefined) past `limit` bytes so a huge body cannot exhaust memory. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const lowerHeaders = (req: IncomingMessage) =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));

/**
 * The engine's HTTP server: `GET /healthz` (200 while the engine runs, with the last sync),
 * `POST /hooks/git` (verified push events), `POST /hooks/sync` (bearer token), `/push/<monitor>`
 * (push monitors), `POST /jobs/<name>/run` (bearer token), the GraphQL API at `/graphql`, `GET /metrics` (Prometheus), and the
 * read-only web UI at every other GET path.
 */
export function startHttpServer(listen: string, deps: HttpDeps): Promise<Server> {
  const { host, port } = parseListen(listen);
  const web = staticFiles(deps.webRoot);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/healthz') {
        const last = deps.lastSync();
        // `pending`: git moved and the plan waits (sync.auto off); `drifted`: the world moved.
        return json(res, 200, {
          status: 'ok',
          version: deps.version,
          revision: last?.revision ?? null,
          sync: last?.outcome ?? 'starting',
          pending: last?.outcome === 'planned' && !last.drift,
          drifted: last?.drift === true,
          role: deps.role?.() ?? 'leader',
        });
      }
      if (deps.api && url.pathname === '/graphql') return deps.api.handle(req, res);
      if (deps.metrics && req.method === 'GET' && url.pathname === '/metrics') {
        if (deps.api && !deps.api.authorized(lowerHeaders(req)))
          return json(res, 401, { error: 'a valid Authorization: Bearer <api.token> is required' });
        const text = await deps.metrics.render();
        res.writeHead(200, { 'content-type': deps.metrics.contentType });
        return res.end(text);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/git') {
        const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
        if (!body) return json(res, 413, { error: 'payload too large' });
        const out = handleGitHook(
          { headers: lowerHeaders(req), rawBody: body },
          { secret: deps.webhookSecret, sourceRef: deps.sourceRef },
        );
        if (out.fetch) deps.onPush();
        return json(res, out.status, out.body);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/sync') {
        await readBody(req, 64 * 1024);
        if (!checkBearer(lowerHeaders(req), deps.apiToken))
          return json(res, 401, { error: 'a valid Authorization: Bearer <api.token> is required' });
        deps.onSync();
        return json(res, 202, { accepted: true });
      }
      const jobRun = /^\/jobs\/([a-z0-9-]{1,63})\/run$/.exec(url.pathname);
      if (jobRun && deps.onJobRun && req.method === 'POST') {
        await readBody(req, 64 * 1024);
        if (!checkBearer(lowerHeaders(req), deps.apiToken))
          return json(res, 401, { error: 'a valid Authorization: Bearer <api.token> is required' });
        const answer = await deps.onJobRun(jobRun[1]);
        return json(res, answer.status, answer.body);
      }
      const push = /^\/push\/([a-z0-9-]{1,63})$/.exec(url.pathname);
      if (push && deps.onMonitorPush && (req.method === 'GET' || req.method === 'POST')) {
        if (req.method === 'POST') await readBody(req, 64 * 1024);
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
