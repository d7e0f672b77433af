import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from '../../engine/api/static-files.js';

/** A raw GET (fetch would normalise `..` away before sending it). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('serving the built web UI', () => {
  let server: Server;
  let port: number;
  const big = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  beforeAll(async () => {
    const parent = await mkdtemp(join(tmpdir(), 'ploy-static-'));
    const root = join(parent, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Ploy</title>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), big);
    await writeFile(join(root, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(parent, 'secret.txt'), 'outside the root');
    const serve = staticFiles(root);
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!(await serve(req, res, url.pathname))) res.writeHead(405).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves index.html at / and at every page path (the app routes itself), never cached', async () => {
    for (const path of ['/', '/monitors', '/monitors/db', '/history/revisions/12']) {
      const r = await get(port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body.toString()).toContain('<title>Ploy</title>');
    }
  });

  it('serves hashed assets with their content type, cached for a year as immutable', async () => {
    const js = await get(port, '/assets/index-abc123.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.body.toString()).toBe(big);
    const css = await get(port, '/assets/index-abc123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('compresses text for clients that accept gzip, and answers HEAD without a body', async () => {
    const r = await get(port, '/assets/index-abc123.js', { 'accept-encoding': 'gzip, br' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.body).toString()).toBe(big);
    const head = await get(port, '/assets/index-abc123.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('answers 404 for a missing asset or file instead of the app page', async () => {
    expect((await get(port, '/assets/index-gone.js')).status).toBe(404);
    expect((await get(port, '/favicon.ico')).status).toBe(404);
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fetc/passwd',
      '/a%00b',
    ]) {
      const r = await get(port, path);
      expect(r.body.toString(), path).not.toContain('outside the root');
      expect(r.body.toString(), path).not.toContain('root:');
    }
  });

  it('leaves other methods to the rest of the server', async () => {
    expect((await get(port, '/', {}, 'POST')).status).toBe(405);
  });
});

describe('serving without a built UI', () => {
  it('says how to build it', async () => {
    const serve = staticFiles(undefined);
    const server = createServer((req, res) => void serve(req, res, '/'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const r = await get((server.address() as AddressInfo).port, '/');
    await new Promise<void>((r2) => server.close(() => r2()));
    expect(r.status).toBe(503);
    expect(r.body.toString()).toContain('npm run build');
  });
});
