import { STATUS_CODES } from 'node:http';
import { Agent, request as undiciRequest } from 'undici';
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
 * Connections per origin. A thousand jobs calling one host share them (the rest queue inside
 * the agent, which costs far less than a thousand sockets); one slow host cannot take them all.
 */
const PER_ORIGIN = 64;

// One shared keep-alive agent, through undici's request() rather than node:http or fetch: the
// cheapest per request of the three (measured at a thousand runs a second on this 2-core
// machine: node:http spent more time building each request than the request took).
const agent = new Agent({ connections: PER_ORIGIN, keepAliveTimeout: 30_000 });

/** `PLOY_SCHEDULED_AT` → `X-Ploy-Scheduled-At`: how the run's variables reach an HTTP target. */
export const ployHeaders = (env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      'X-' +
        k
          .split('_')
          .map((w) => w[0] + w.slice(1).toLowerCase())
          .join('-'),
      v,
    ]),
  );

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
  let answer: Answer;
  try {
    for (let hop = 0; ; hop++) {
      answer = await request(url, method, { ...ployHeaders(ctx.ployEnv), ...spec.headers }, body, ctx);
      const redirect = answer.location && [301, 302, 303, 307, 308].includes(answer.status) && hop < MAX_REDIRECTS;
      if (!redirect) break;
      url = new URL(answer.location!, url).toString();
      // As browsers and fetch do: 303 (and 301/302 after a POST) continue as a GET without a body.
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  } catch (err) {
    if (ctx.signal.aborted) return { ok: false, exitCode: null, message: abortMessage(ctx.signal) };
    const e = err as NodeJS.ErrnoException;
    return { ok: false, exitCode: null, message: `request failed: ${e.code ?? e.message}` };
  }
  const expected = spec.expectStatus === undefined ? undefined : [spec.expectStatus].flat();
  const ok = expected ? expected.includes(answer.status) : answer.status >= 200 && answer.status < 300;
  if (ok) return { ok: true, exitCode: answer.status };
  const want = expected ? expected.join(' or ') : '2xx';
  return { ok: false, exitCode: answer.status, message: `status ${answer.status}, expected ${want}` };
}

async function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ctx: RunContext,
): Promise<Answer> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`unsupported protocol ${target.protocol}`);
  const res = await undiciRequest(target, {
    method: method as 'GET',
    headers,
    body,
    signal: ctx.signal,
    dispatcher: agent,
  });
  const location = [res.headers.location].flat()[0];
  const answer: Answer = { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', location };
  if (location && res.statusCode >= 300 && res.statusCode < 400) {
    // dump() reads a little and closes the connection rather than reading a large body on.
    await res.body.dump({ limit: BODY_LIMIT_BYTES }).catch(() => undefined);
    return answer;
  }
  ctx.output.write(`HTTP ${answer.status} ${answer.statusText}\n`);
  let read = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      ctx.output.write(chunk.subarray(0, BODY_LIMIT_BYTES - read));
      read += chunk.length;
      // The status decides; past the limit the rest is not worth reading.
      if (read >= BODY_LIMIT_BYTES) {
        res.body.destroy();
        break;
      }
    }
  } catch {
    // A body cut short (reset, aborted after the status) does not change the status.
  }
  return answer;
}
