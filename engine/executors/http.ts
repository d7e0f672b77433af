import { STATUS_CODES } from 'node:http';
import { LRUCache } from 'lru-cache';
import { Agent, type Dispatcher } from 'undici';
import { isRedirect, redirected } from '../probes/redirect.js';
import { abortMessage, type AttemptResult, type RunContext } from './types.js';

export interface HttpSpec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status (or statuses) that mean success; without it, any 2xx. */
  expectStatus?: number | number[];
}

/** Response bytes kept beyond the status line; the rest of a large body is not read. */
const BODY_LIMIT_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;

/**
 * Connections per origin: as many as HTTP runs may be in flight at once (the scheduler's
 * request pool), so due runs are sent when they are due. With fewer, a thousand jobs calling
 * one host at the same second queued inside the agent behind each other's round trips (p99
 * 360 ms late with 64 connections, measured with npm run bench:jobs).
 */
const PER_ORIGIN = 1_000;

// One shared keep-alive agent, driven through undici's dispatch() with a small handler rather
// than request(), node:http or fetch: the cheapest per request (no body stream, no async
// resource, no per-request abort listener inside undici) — at a thousand runs due in the same
// second, a run's cost before its request is written is its lateness.
const agent = new Agent({ connections: PER_ORIGIN, keepAliveTimeout: 30_000 });

/** `PLOY_SCHEDULED_AT` → `X-Ploy-Scheduled-At`, computed once per variable name. */
const headerNames = new Map<string, string>();
function headerName(variable: string): string {
  let name = headerNames.get(variable);
  if (name === undefined) {
    name =
      'X-' +
      variable
        .split('_')
        .map((w) => w[0] + w.slice(1).toLowerCase())
        .join('-');
    headerNames.set(variable, name);
  }
  return name;
}

/**
 * The run's variables as headers (`PLOY_SCHEDULED_AT` → `X-Ploy-Scheduled-At`: how they reach
 * an HTTP target), then the job's own headers, which win.
 */
function withPloyHeaders(env: Record<string, string>, own: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in env) out[headerName(k)] = env[k];
  if (own) for (const k in own) out[k] = own[k];
  return out;
}

/**
 * Where a URL's requests go: parsed once per URL, as jobs call the same URLs every run. Bounded,
 * though URLs come from the applied jobs (and their redirects), not from outside.
 */
const targets = new LRUCache<string, { origin: string; path: string }>({ maxSize: 10_000, sizeCalculation: () => 1 });
function targetOf(url: string): { origin: string; path: string } {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported protocol ${u.protocol}`);
    t = { origin: u.origin, path: u.pathname + u.search };
    targets.set(url, t);
  }
  return t;
}
interface Answer {
  status: number;
  statusText: string;
  location?: string;
}

/** The `http` runner: one request (following up to 5 redirects); success is the expected status, by default any 2xx. */
export async function runHttp(spec: HttpSpec, ctx: RunContext): Promise<AttemptResult> {
  let method = (spec.method ?? 'GET').toUpperCase();
  let body = method === 'GET' || method === 'HEAD' ? undefined : spec.body;
  let url = spec.url;
  let headers = withPloyHeaders(ctx.ployEnv, spec.headers);
  let answer: Answer;
  try {
    for (let hop = 0; ; hop++) {
      answer = await request(url, method, headers, body, ctx);
      if (!answer.location || !isRedirect(answer.status) || hop >= MAX_REDIRECTS) break;
      // As fetch does, and stricter: credentials and the job's headers stay on their origin (redirect.ts).
      const next = redirected({ url: new URL(url), method, headers, body }, answer.status, answer.location);
      if (typeof next === 'string') return { ok: false, exitCode: answer.status, message: next };
      ({ method, headers, body } = next);
      url = next.url.href;
    }
  } catch (err) {
    if (ctx.cancel.aborted) return { ok: false, exitCode: null, message: abortMessage(ctx.cancel) };
    const e = err as NodeJS.ErrnoException;
    return { ok: false, exitCode: null, message: `request failed: ${e.code ?? e.message}` };
  }
  const expected = spec.expectStatus === undefined ? undefined : [spec.expectStatus].flat();
  const ok = expected ? expected.includes(answer.status) : answer.status >= 200 && answer.status < 300;
  if (ok) return { ok: true, exitCode: answer.status };
  const want = expected ? expected.join(' or ') : '2xx';
  return { ok: false, exitCode: answer.status, message: `status ${answer.status}, expected ${want}` };
}

function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ctx: RunContext,
): Promise<Answer> {
  const target = targetOf(url);
  return new Promise<Answer>((resolve, reject) => {
    agent.dispatch(
      { origin: target.origin, path: target.path, method: method as 'GET', headers, body },
      new Exchange(ctx, resolve, reject),
    );
  });
}

/**
 * One request's life inside undici: the status decides the run; the body is copied to the
 * run's output up to BODY_LIMIT_BYTES, past which the connection is closed rather than read on
 * (a redirect's body is not kept). Aborting the run's signal aborts the request.
 */
class Exchange implements Dispatcher.DispatchHandler {
  #answer: Answer | undefined;
  #redirect = false;
  #read = 0;
  #settled = false;
  #stopListening: (() => void) | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly resolve: (a: Answer) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#stopListening = this.ctx.cancel.onAbort(() => controller.abort(new Error(abortMessage(this.ctx.cancel))));
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const location = [headers.location].flat()[0];
    this.#answer = { status, statusText: STATUS_CODES[status] ?? '', location };
    this.#redirect = location !== undefined && status >= 300 && status < 400;
    if (!this.#redirect) this.ctx.output.write(`HTTP ${status} ${this.#answer.statusText}\n`);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#redirect) this.ctx.output.write(chunk.subarray(0, BODY_LIMIT_BYTES - this.#read));
    this.#read += chunk.length;
    // The status decides; past the limit the rest is not worth reading.
    if (this.#read >= BODY_LIMIT_BYTES) {
      this.#settle();
      controller.abort(new Error('response body over the limit: not read further'));
    }
  }

  onResponseEnd(): void {
    this.#settle();
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    // A body cut short (reset, aborted after the status) does not change the status.
    this.#settle(err);
  }

  #settle(err?: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#stopListening?.();
    if (this.#answer) this.resolve(this.#answer);
    else this.reject(err ?? new Error('no response'));
  }
}
