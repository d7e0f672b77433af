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

/** The `http` runner: one request; success is the expected status, by default any 2xx. */
export async function runHttp(spec: HttpSpec, ctx: RunContext): Promise<AttemptResult> {
  const method = (spec.method ?? 'GET').toUpperCase();
  let res: Response;
  try {
    res = await fetch(spec.url, {
      method,
      headers: { ...ployHeaders(ctx.ployEnv), ...spec.headers },
      body: spec.body === undefined || method === 'GET' || method === 'HEAD' ? undefined : spec.body,
      signal: ctx.signal,
      redirect: 'follow',
    });
  } catch (err) {
    if (ctx.signal.aborted) return { ok: false, exitCode: null, message: abortMessage(ctx.signal) };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, exitCode: null, message: `request failed: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
  ctx.output.write(`HTTP ${res.status} ${res.statusText}\n`);
  try {
    await readBody(res, ctx);
  } catch {
    // A body cut short does not change the verdict: the status decides.
  }
  const expected = spec.expectStatus === undefined ? undefined : [spec.expectStatus].flat();
  const ok = expected ? expected.includes(res.status) : res.status >= 200 && res.status < 300;
  if (ok) return { ok: true, exitCode: res.status };
  if (ctx.signal.aborted) return { ok: false, exitCode: res.status, message: abortMessage(ctx.signal) };
  const want = expected ? expected.join(' or ') : '2xx';
  return { ok: false, exitCode: res.status, message: `status ${res.status}, expected ${want}` };
}

async function readBody(res: Response, ctx: RunContext): Promise<void> {
  if (!res.body) return;
  let read = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const room = BODY_LIMIT_BYTES - read;
      ctx.output.write(Buffer.from(value.subarray(0, Math.max(0, room))));
      read += value.length;
      if (read >= BODY_LIMIT_BYTES) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
