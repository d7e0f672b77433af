import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApi, startServedApi } from '../support/served-api.js';

let api: ServedApi;

beforeAll(async () => {
  api = await startServedApi({
    'ploy.config.yaml':
      'source: {path: ./repo}\napi:\n  timeouts: {request: 1s, headers: 500ms, keepAlive: 1s}\n  limits: {connections: 20}\n',
    'repo/job.yaml': 'kind: Job\nname: tick\nschedule: "0 0 1 1 *"\nshell: {command: "true"}\n',
  });
});

afterAll(async () => {
  await api?.stop();
});

/** Opens a TCP connection, sends `text`, and resolves with how long the server kept it open (ms). */
function heldOpen(text: string, giveUpMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(api.port, '127.0.0.1');
    const give = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(give);
      resolve(performance.now() - started);
    });
    socket.write(text);
  });
}

describe('HTTP timeouts and the connection cap of ploy serve (api.timeouts, api.limits.connections)', () => {
  it('closes a connection whose headers never finish (slowloris) after the headers timeout', async () => {
    const ms = await heldOpen('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 10_000);
    expect(ms).toBeGreaterThan(450);
    expect(ms).toBeLessThan(3000);
  });

  it('closes a connection whose body never finishes after the request timeout', async () => {
    const ms = await heldOpen('POST /hooks/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"partial": ', 10_000);
    expect(ms).toBeGreaterThan(950);
    expect(ms).toBeLessThan(4000);
  });

  it('keeps a subscription stream open well past the request timeout: the request has arrived, only the answer goes on', async () => {
    const ctrl = new AbortController();
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { syncStatus { outcome } }' }),
      signal: ctrl.signal,
    });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    let first = '';
    while (!first.includes('"outcome"')) first += new TextDecoder().decode((await reader.read()).value);
    // Three times the request timeout, then the stream must still be open (no end, no error).
    const outcome = await Promise.race([
      reader.read().then(
        (chunk) => (chunk.done ? 'ended' : 'more data'),
        () => 'failed',
      ),
      new Promise((res) => setTimeout(() => res('still open'), 3000)),
    ]);
    ctrl.abort();
    expect(['still open', 'more data']).toContain(outcome);
  }, 15_000);

  it('closes connections past api.limits.connections at once, and takes new ones when those end', async () => {
    const sockets = Array.from({ length: 30 }, () => {
      const socket = connect(api.port, '127.0.0.1');
      const closed = new Promise<number>((res) => socket.on('close', () => res(performance.now())));
      socket.on('error', () => {});
      // Read what comes (a 408 at the end): a socket nobody reads from never reports its close.
      socket.resume();
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      return { socket, closed };
    });
    const started = performance.now();
    const closedAt = await Promise.all(sockets.map((s) => s.closed));
    // The headers timeout (0.5 s) ends the admitted ones; the rest were closed as they came.
    const atOnce = closedAt.filter((t) => t - started < 250).length;
    expect(atOnce).toBeGreaterThanOrEqual(10);
    expect(30 - atOnce).toBeLessThanOrEqual(20);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});
