import { type Hop, isRedirect, redirected } from '../probes/redirect.js';
import { DeliveryError } from './types.js';

/** Redirects a delivery follows before it counts as failed. */
const MAX_REDIRECTS = 5;

/**
 * Sends one HTTP request to a provider and throws DeliveryError unless it answers 2xx. Errors
 * name the host only: the path and query of a webhook URL often are the secret.
 */
export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body: string; signal: AbortSignal },
): Promise<void> {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    throw new DeliveryError('the channel URL is not a valid URL', false);
  }
  let res: Response;
  // Redirects are followed here, not by fetch: its own following keeps custom headers (a
  // token in `X-Api-Key`) on the way to another origin.
  let hop: Hop = { url: new URL(url), method: init.method ?? 'POST', headers: init.headers ?? {}, body: init.body };
  for (let hops = 0; ; hops++) {
    try {
      res = await fetch(hop.url, {
        method: hop.method,
        headers: hop.headers,
        body: hop.body,
        signal: init.signal,
        redirect: 'manual',
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      // undici puts the reason (ECONNREFUSED, "bad port", ...) in `cause`; it never holds the URL's path.
      const why =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? 'timed out'
          : (e.cause?.code ?? e.cause?.message ?? 'connection failed');
      throw new DeliveryError(`cannot reach ${host}: ${why}`);
    }
    const location = res.headers.get('location');
    if (!isRedirect(res.status) || location === null) break;
    await res.body?.cancel();
    if (hops === MAX_REDIRECTS) throw new DeliveryError(`${host} redirected more than ${MAX_REDIRECTS} times`, false);
    const next = redirected(hop, res.status, location);
    if (typeof next === 'string') throw new DeliveryError(`${host} ${next}`, false);
    hop = next;
  }
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  // Client errors will fail again the same way, except timeouts and rate limits.
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  throw new DeliveryError(`${host} answered HTTP ${res.status}${text ? `: ${text}` : ''}`, retryable);
}

export const jsonHeaders = { 'content-type': 'application/json' };
