import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './caddy.js';
import { freshDatabase, postgresUrl } from './pg.js';
import { makeDir, seedEmbeddedStore } from './cli.js';
import { serve, until } from './serve-process.js';

/** A real `ploy serve` process on a free port. */
export interface ServedApi {
  port: number;
  url: string;
  cwd: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `ploy serve` for `files` (a ploy.config.yaml and a repo; `{port}` in any file is
 * replaced by the port it will listen on) on `listenHost` (default 127.0.0.1), and waits for its
 * first sync. Its store is a new database on the tests' PostgreSQL, or, on a machine without
 * one, a copy of a migrated embedded store. `token` is sent to /healthz while waiting.
 */
export async function startServedApi(
  files: Record<string, string>,
  opts: { token?: string; listenHost?: string } = {},
): Promise<ServedApi> {
  const port = await freePort();
  const cwd = await makeDir(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replaceAll('{port}', String(port))])));
  // A new PostgreSQL database starts the engine in about a second; a first embedded store in a
  // test worker takes ten on a loaded machine (initdb in WASM). Either is a real store.
  const store = postgresUrl()
    ? { DATABASE_URL: await freshDatabase() }
    : await seedEmbeddedStore(join(cwd, '.ploy')).then(() => ({}));
  const child = serve(cwd, { PLOY_API_LISTEN: `${opts.listenHost ?? '127.0.0.1'}:${port}`, ...store });
  const url = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  try {
    await until('ploy serve to apply its source', async () => {
      if (child.exitCode !== null) throw new Error(`ploy serve exited: ${child.output()}`);
      const health = (await (await fetch(`${url}/healthz`, { headers })).json()) as { sync?: string };
      return health.sync === 'applied';
    });
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${child.output()}`);
  }
  return {
    port,
    url,
    cwd,
    output: child.output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** What a raw request got: the status (0: the connection closed without an answer), the body, and how long it took. */
export interface RawAnswer {
  status: number;
  body: string;
  ms: number;
}

/**
 * Sends one HTTP/1.1 request over a plain TCP socket, exactly as given (any Host header, a body
 * larger than the server takes, `chunked` to send it without a length), and resolves as soon
 * as a whole answer has arrived, or the connection closed. The answer is read while the body is
 * still being sent: a server may answer before it has read a large body, and its answer is what
 * counts (node's own client reports EPIPE instead when the server closes early).
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawAnswer> {
  const { hostname, port, pathname, search, host } = new URL(url);
  const body = typeof opts.body === 'string' || opts.body === undefined ? Buffer.from(opts.body ?? '') : opts.body;
  const headers: Record<string, string> = { host, connection: 'close', ...opts.headers };
  if (opts.chunked) headers['transfer-encoding'] = 'chunked';
  else if (opts.body !== undefined) headers['content-length'] ??= String(body.length);
  const head = `${opts.method ?? 'GET'} ${pathname}${search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  const started = performance.now();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const socket = connect(Number(port), hostname);
    const finish = () => {
      if (done) return;
      const answer = parseAnswer(received, socket.destroyed || socket.readableEnded);
      if (answer === undefined && !socket.destroyed) return;
      done = true;
      socket.destroy();
      resolve({ status: answer?.status ?? 0, body: answer?.body ?? '', ms: performance.now() - started });
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('error', () => socket.destroy());
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.write(head);
    // Not end(): node's server drops a request whose client half-closes before it is answered.
    if (opts.chunked)
      socket.write(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
    else socket.write(body);
  });
}

/**
 * A complete answer in `data` (status line, headers, a body of its Content-Length, or a chunked
 * body once the server closed), or undefined.
 */
function parseAnswer(data: Buffer, closed: boolean): { status: number; body: string } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = data.subarray(0, end).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  let body = data.subarray(end + 4);
  if (length) {
    if (body.length < Number(length[1])) return undefined;
    return { status, body: body.subarray(0, Number(length[1])).toString('utf8') };
  }
  if (!closed) return undefined;
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const parts: Buffer[] = [];
    for (;;) {
      const line = body.indexOf('\r\n');
      const size = parseInt(body.subarray(0, line).toString('latin1'), 16);
      if (line < 0 || !(size > 0)) break;
      parts.push(body.subarray(line + 2, line + 2 + size));
      body = body.subarray(line + 2 + size + 2);
    }
    return { status, body: Buffer.concat(parts).toString('utf8') };
  }
  return { status, body: body.toString('utf8') };
}
