import { DeliveryError } from './types.js';

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
  try {
    res = await fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      redirect: 'follow',
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
