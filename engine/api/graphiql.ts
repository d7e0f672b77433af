import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Whether a request is a browser opening `/graphql`: a GET for HTML without a query. */
export function isGraphiqlRequest(req: IncomingMessage, url: URL): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    String(req.headers.accept ?? '').includes('text/html') &&
    !url.searchParams.has('query')
  );
}

interface Page {
  html: Buffer;
  gz: Buffer;
  etag: string;
  csp: string;
}

/**
 * The Content-Security-Policy of the page: its one inline script by hash, nothing from another
 * origin. GraphiQL's editor runs its workers from blob: URLs it makes itself, and injects styles.
 */
function policyFor(html: string): string {
  const start = html.indexOf('<script>');
  const end = html.indexOf('</script>', start);
  const hash = createHash('sha256')
    .update(html.slice(start + '<script>'.length, end))
    .digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * GraphiQL from the bundle in @graphql-yoga/render-graphiql: scripts, styles and workers are
 * inline (yoga's own page loads them from a public CDN, without integrity checks). The page is
 * about 9 MB, ~2 MB gzipped: built on the first request (the module is loaded only then),
 * compressed off the event loop, then kept. It holds no data: queries it sends are checked
 * like any other.
 */
export function graphiqlPage() {
  let page: Promise<Page> | undefined;
  const build = async (): Promise<Page> => {
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    const text = renderGraphiQL({ title: 'Ploy GraphiQL', endpoint: '/graphql', subscriptionsProtocol: 'SSE' });
    const html = Buffer.from(text);
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
    return { html, gz: await gzipAsync(html), etag, csp: policyFor(text) };
  };

  return async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    page ??= build().catch((e) => {
      page = undefined;
      throw e;
    });
    const p = await page;
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': p.csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
      etag: p.etag,
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === p.etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gz ? p.gz : p.html;
    if (gz) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
