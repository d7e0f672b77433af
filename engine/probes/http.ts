import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { appAddress } from './app-address.js';
import { describeError, ms, type Probe, type ProbeOutcome } from './types.js';

export interface HttpProbeSpec {
  url?: string;
  app?: string;
  port?: number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  followRedirects?: boolean;
  insecureSkipVerify?: boolean;
}

const MAX_REDIRECTS = 10;
/** A body read for conditions is capped: a monitor must not buffer an endless download. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** A body nobody checks is drained only when it is this small (so the connection is reused), else dropped. */
const DRAIN_LIMIT = 64 * 1024;

// Keep-alive agents with a per-host connection limit: thousands of monitors of one host share a
// few dozen sockets, and one slow host cannot take every socket (no global semaphore).
const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, scheduling: 'lifo' as const };
const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

/** Probe: an HTTP(S) request; passes below status 400 unless conditions say otherwise. */
export const httpProbe: Probe<HttpProbeSpec> = async (spec, ctx) => {
  let url: URL;
  if (spec.app) {
    if (!ctx.runtime) return failed('no container runtime is connected, so app targets cannot be reached');
    const ip = await appAddress(ctx.runtime, spec.app).catch(() => undefined);
    if (!ip) return failed(`app ${spec.app} has no running container with an address`);
    url = new URL(`http://${ip}:${spec.port}${spec.path ?? '/'}`);
  } else {
    url = new URL(spec.url ?? '');
  }
  const started = process.hrtime.bigint();
  try {
    let res = await request(url, spec, ctx.signal);
    for (let hops = 0; spec.followRedirects !== false && isRedirect(res.statusCode) && res.headers.location; hops++) {
      if (hops >= MAX_REDIRECTS) {
        res.destroy();
        return failed(`more than ${MAX_REDIRECTS} redirects`, ms(started));
      }
      res.resume();
      url = new URL(res.headers.location, url);
      // 303, and 301/302 after a POST, turn into GET as browsers do.
      const asGet = res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && spec.method === 'POST');
      res = await request(url, asGet ? { ...spec, method: 'GET', body: undefined } : spec, ctx.signal);
    }
    const status = res.statusCode ?? 0;
    const socket = res.socket as TLSSocket | null;
    const ip = socket?.remoteAddress;
    const cert = ctx.needs.has('CERTIFICATE_EXPIRATION') && url.protocol === 'https:' ? socket?.getPeerCertificate?.() : undefined;
    let body: string | undefined;
    if (ctx.needs.has('BODY')) body = await readBody(res);
    else discard(res);
    const values: ProbeOutcome['values'] = { status, responseTimeMs: ms(started), connected: true, ip, body };
    if (cert?.valid_to) values.certificateExpirationMs = Date.parse(cert.valid_to) - ctx.now().getTime();
    return { values, passed: status < 400, status: String(status), error: status < 400 ? undefined : `HTTP ${status}` };
  } catch (err) {
    return failed(describeError(err), ms(started));
  }
};

function failed(error: string, responseTimeMs?: number): ProbeOutcome {
  return { values: { connected: false, responseTimeMs }, passed: false, error };
}

const isRedirect = (code: number | undefined) => code === 301 || code === 302 || code === 303 || code === 307 || code === 308;

function request(url: URL, spec: HttpProbeSpec, signal: AbortSignal): Promise<IncomingMessage> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new Error(`unsupported scheme ${url.protocol}`));
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method: spec.method ?? 'GET',
      headers: { 'user-agent': 'ploy-monitor', ...spec.headers },
      agent: secure ? agents.https : agents.http,
      // TLS verification stays on unless the monitor says otherwise.
      rejectUnauthorized: spec.insecureSkipVerify !== true,
      signal,
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end(spec.body);
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      res.destroy();
      throw new Error(`the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function discard(res: IncomingMessage): void {
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && length <= DRAIN_LIMIT) res.resume();
  else res.destroy();
}
