/**
 * Following a redirect without handing credentials to whoever it points at. Shared by the http
 * probe and the `http` job runner, which both follow redirects themselves (undici's own
 * redirect handling drops Authorization, Cookie and Proxy-Authorization on another origin, but
 * keeps every other header: an `X-Api-Key` would go along).
 */

/** Whether a status redirects (with a Location). */
export const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/** The parts of a request a redirect may change. */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Headers that go to another origin after a redirect: they describe the request and carry no
 * credential. Content-Type and Content-Language only while the body goes along (307, 308).
 */
const CROSS_ORIGIN_SAFE = new Set(['accept', 'accept-encoding', 'accept-language', 'user-agent']);
const BODY_HEADERS = new Set(['content-type', 'content-language', 'content-encoding', 'content-location']);

/**
 * The request to send after a `status` redirect to `location`, as the Fetch standard's
 * HTTP-redirect fetch makes it, and stricter about headers:
 * - 303 (unless the request was a GET or HEAD), and 301/302 after a POST, continue as a GET
 *   without the body and its Content-* headers;
 * - on another origin (scheme, host or port differ: an https → http downgrade always does),
 *   every header set by the user or the engine is dropped, Authorization, Cookie and
 *   Proxy-Authorization included; only Accept*, User-Agent and, with a body, its Content-Type
 *   and Content-Language are kept. Once dropped they stay dropped for the rest of the chain.
 * Returns why when the redirect cannot be followed. Counting hops is the caller's.
 */
export function redirected<R extends Hop>(from: R, status: number, location: string): R | string {
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    return 'redirected to an invalid location';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `redirected to an unsupported scheme ${url.protocol}`;
  const asGet =
    (status === 303 && from.method !== 'GET' && from.method !== 'HEAD') ||
    ((status === 301 || status === 302) && from.method === 'POST');
  const body = asGet ? undefined : from.body;
  const crossOrigin = url.origin !== from.url.origin;
  let headers = from.headers;
  if (crossOrigin || asGet) {
    headers = {};
    for (const name in from.headers) {
      const lower = name.toLowerCase();
      const keep = BODY_HEADERS.has(lower)
        ? body !== undefined && (!crossOrigin || lower === 'content-type' || lower === 'content-language')
        : !crossOrigin || CROSS_ORIGIN_SAFE.has(lower);
      if (keep) headers[name] = from.headers[name];
    }
  }
  return { ...from, url, method: asGet ? 'GET' : from.method, headers, body };
}
