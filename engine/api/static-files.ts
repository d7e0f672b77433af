import { existsSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.map']);

// The UI reads only /graphql on its own origin: nothing else may load or frame it.
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/**
 * The folder holding the built UI (`web/dist`), found by walking up from this file: it runs
 * from `engine/api/` under vitest and from `dist/engine/api/` once compiled. Undefined when
 * the UI was not built.
 */
export function findWebRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html')) && existsSync(join(dir, 'package.json'))) return candidate;
  }
  return undefined;
}

interface Cached {
  key: string;
  gz: Buffer;
}

/**
 * Serves the single-page app: files under `root`, `index.html` for any other page path (the
 * app routes with the History API), 404 for a missing asset. Hashed files under /assets/ are
 * cached for a year (immutable); everything else revalidates, so a new build shows at once.
 * Paths are resolved inside `root` only: `..`, encoded or not, never leaves it.
 */
export function staticFiles(root: string | undefined) {
  const base = root && resolve(root);
  const gzCache = new Map<string, Cached>();

  async function send(req: IncomingMessage, res: ServerResponse, file: string, cache: string): Promise<void> {
    const ext = extname(file);
    const info = await stat(file);
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cache,
    };
    let body: Buffer = await readFile(file);
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length > 1024) {
      const key = `${info.mtimeMs}:${info.size}`;
      let hit = gzCache.get(file);
      if (!hit || hit.key !== key) gzCache.set(file, (hit = { key, gz: gzipSync(body) }));
      body = hit.gz;
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Answers the request and returns true, or returns false for a path it does not serve. */
  return async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!base) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end('The web UI is not built: run `npm run build` (it builds web/ into web/dist).\n');
      return true;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return notFound(res);
    }
    if (decoded.includes('\0')) return notFound(res);
    const file = resolve(base, '.' + decoded);
    if (file !== base && !file.startsWith(base + sep)) return notFound(res);
    const isFile = (() => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    })();
    if (isFile) {
      const hashed = decoded.startsWith('/assets/');
      await send(req, res, file, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    // A missing asset or file with an extension is a 404; any other path is a page of the app.
    if (decoded.startsWith('/assets/') || extname(decoded) !== '') return notFound(res);
    await send(req, res, join(base, 'index.html'), 'no-cache');
    return true;
  };
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('not found\n');
  return true;
}
