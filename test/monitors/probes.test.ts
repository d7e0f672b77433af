import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitor } from '../../engine/kinds/monitor/index.js';
import { Sensitive } from '../../engine/model/sensitive.js';
import { compileMonitor } from '../../engine/runtime/monitors/compiled-monitor.js';
import { runCheck } from '../../engine/runtime/monitors/check.js';
import { selfSignedCert } from '../support/tls-cert.js';

/** Runs one check of a monitor spec (defaults applied as apply would) against the real world. */
async function check(spec: Record<string, unknown>) {
  const m = compileMonitor('probe-test', monitor.withDefaults({ timeout: '2s', ...spec }), 'h')!;
  return runCheck(m, { now: () => new Date(), signal: new AbortController().signal, watchedSince: new Date() });
}

const closers: Array<() => unknown> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    closers.push(() => new Promise((r) => server.close(r)));
  });
}

describe('the http probe', () => {
  let base: string;
  const seen: Array<{ method?: string; auth?: string; body: string }> = [];
  let endlessClosed = 0;
  beforeAll(async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        if (req.url === '/health') return res.end(JSON.stringify({ status: 'UP', checks: [1, 2] }));
        if (req.url === '/down') return res.writeHead(503).end('nope');
        if (req.url === '/hop') return res.writeHead(302, { location: '/health' }).end();
        if (req.url === '/slow') return setTimeout(() => res.end('late'), 3000);
        if (req.url === '/endless') {
          // A body nobody checks must not be downloaded: this one never ends.
          res.writeHead(200);
          const t = setInterval(() => res.write('x'.repeat(65536)), 5);
          res.on('close', () => {
            clearInterval(t);
            endlessClosed++;
          });
          return;
        }
        res.writeHead(404).end();
      });
    });
    server.keepAliveTimeout = 100;
    base = `http://127.0.0.1:${await listen(server)}`;
  });

  it('passes below status 400 without conditions, and fails on 503 with the status', async () => {
    expect(await check({ http: { url: `${base}/health` } })).toMatchObject({ ok: true, status: '200' });
    expect(await check({ http: { url: `${base}/down` } })).toMatchObject({ ok: false, status: '503', error: 'HTTP 503' });
  });

  it('keeps each condition with its resolved value', async () => {
    const beat = await check({
      http: { url: `${base}/down` },
      conditions: ['[STATUS] == 200', '[RESPONSE_TIME] < 5000', '[BODY] == nope'],
    });
    expect(beat.ok).toBe(false);
    expect(beat.conditions).toEqual([
      { condition: '[STATUS] == 200', success: false, resolved: '[STATUS] (503) == 200' },
      {
        condition: '[RESPONSE_TIME] < 5000',
        success: true,
        resolved: expect.stringMatching(/^\[RESPONSE_TIME\] \(\d+\) < 5000$/),
      },
      { condition: '[BODY] == nope', success: true, resolved: '[BODY] (nope) == nope' },
    ]);
    expect(beat.error).toBe('[STATUS] (503) == 200');
  });

  it('reads JSON bodies for conditions, and sends method, headers and body', async () => {
    const beat = await check({
      http: { url: `${base}/health`, method: 'POST', headers: { Authorization: 'Bearer t' }, body: '{"q":1}' },
      conditions: ['[STATUS] == 200', '[BODY].status == UP', 'len([BODY].checks) == 2'],
    });
    expect(beat).toMatchObject({ ok: true });
    expect(seen.at(-1)).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"q":1}' });
  });

  it('follows redirects unless told not to', async () => {
    expect(await check({ http: { url: `${base}/hop` }, conditions: ['[BODY].status == UP'] })).toMatchObject({ ok: true });
    expect(await check({ http: { url: `${base}/hop`, followRedirects: false }, conditions: ['[STATUS] == 302'] })).toMatchObject({
      ok: true,
    });
  });

  it('fails an attempt that outlives its timeout, and retries within one check', async () => {
    const started = Date.now();
    const beat = await check({ http: { url: `${base}/slow` }, timeout: '200ms', retries: 1 });
    expect(beat).toMatchObject({ ok: false, error: 'timed out (after 2 attempts)' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not download a body no condition reads', async () => {
    const before = endlessClosed;
    const beat = await check({ http: { url: `${base}/endless` }, conditions: ['[STATUS] == 200'] });
    expect(beat.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(endlessClosed).toBe(before + 1);
  });

  it('reports a refused connection as down with the reason', async () => {
    const beat = await check({ http: { url: 'http://127.0.0.1:1/' }, conditions: ['[STATUS] == 200'] });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/^\[STATUS\] \(0\) == 200; .*ECONNREFUSED/);
  });
});

/** A CA that signed nothing here: trusting only it must fail. */
const otherCa = selfSignedCert(30).cert;

describe('the http probe over TLS with a self-signed certificate', () => {
  let url: string;
  let ca: string;
  beforeAll(async () => {
    const { key, cert } = selfSignedCert(30);
    ca = cert;
    url = `https://localhost:${await listen(https.createServer({ key, cert }, (_req, res) => res.end('ok')))}/`;
  });

  it('with the private CA in ca, verifies and passes, on both transports', async () => {
    expect(await check({ http: { url, ca } })).toMatchObject({ ok: true, status: '200' });
    // [CERTIFICATE_EXPIRATION] takes the node:https path: it trusts the same CA.
    expect(await check({ http: { url, ca }, conditions: ['[CERTIFICATE_EXPIRATION] > 48h'] })).toMatchObject({ ok: true });
    // As it arrives from ${secret:...}: a Sensitive value, revealed only for the request.
    const secretCa = new Sensitive(ca, '${secret:INTERNAL_CA}', ['INTERNAL_CA']);
    expect(await check({ http: { url, ca: secretCa } })).toMatchObject({ ok: true });
  });

  it('with a different CA in ca, fails verification, and a ca that is not PEM says so', async () => {
    const beat = await check({ http: { url, ca: otherCa } });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/self[- ]signed|verify|signature/i);
    expect(await check({ http: { url, ca: 'not a certificate' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('ca is not a PEM certificate'),
    });
  });

  it('verifies the certificate by default', async () => {
    const beat = await check({ http: { url } });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/self[- ]signed/i);
  });

  it('with insecureSkipVerify, passes and reads the certificate expiry', async () => {
    const beat = await check({
      http: { url, insecureSkipVerify: true },
      conditions: ['[CERTIFICATE_EXPIRATION] > 48h', '[CERTIFICATE_EXPIRATION] < 31d'],
    });
    expect(beat.ok).toBe(true);
    // 30 days minus a moment, shown as a duration.
    expect(beat.conditions?.[0].resolved).toMatch(/^\[CERTIFICATE_EXPIRATION\] \((71[0-9]|720)h[\dms]*\) > 48h$/);
  });
});

describe('the tls probe', () => {
  let port: number;
  let ca: string;
  beforeAll(async () => {
    const { key, cert } = selfSignedCert(10);
    ca = cert;
    port = await listen(tls.createServer({ key, cert }, (s) => s.end()));
  });

  it('trusts the private CA given in ca, and only it', async () => {
    const beat = await check({ tls: { host: 'localhost', port, ca }, conditions: ['[CERTIFICATE_EXPIRATION] > 1h'] });
    expect(beat).toMatchObject({ ok: true, status: expect.stringMatching(/^CN=localhost; expires /) });
    expect(await check({ tls: { host: 'localhost', port, ca: otherCa } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid certificate: /),
    });
  });

  it('fails an untrusted chain whatever the conditions, but still records the expiry', async () => {
    const beat = await check({ tls: { host: '127.0.0.1', port }, conditions: ['[CERTIFICATE_EXPIRATION] > 1h'] });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/invalid certificate: .*SELF_SIGNED/i);
    expect(beat.status).toMatch(/^CN=localhost; expires /);
    expect(beat.conditions?.[0]).toMatchObject({ success: true, resolved: expect.stringMatching(/\((23[0-9]|240)h/) });
  });

  it('fails when nothing listens', async () => {
    expect(await check({ tls: { host: '127.0.0.1', port: 1 } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });
});

describe('the tcp probe', () => {
  let port: number;
  beforeAll(async () => {
    port = await listen(net.createServer((s) => s.on('data', (d) => s.end(`echo:${d}`))));
  });

  it('passes when it connects', async () => {
    expect(await check({ tcp: { host: '127.0.0.1', port }, conditions: ['[CONNECTED] == true'] })).toMatchObject({ ok: true });
  });

  it('sends and expects a reply', async () => {
    expect(await check({ tcp: { host: '127.0.0.1', port, send: 'PING', expect: 'echo:PING' } })).toMatchObject({ ok: true });
    expect(await check({ tcp: { host: '127.0.0.1', port, send: 'PING', expect: 'PONG' } })).toMatchObject({
      ok: false,
      error: 'the reply does not contain "PONG"',
    });
  });

  it('is down on a refused port, with [CONNECTED] resolved', async () => {
    const beat = await check({ tcp: { host: '127.0.0.1', port: 1 }, conditions: ['[CONNECTED] == true'] });
    expect(beat.ok).toBe(false);
    expect(beat.conditions?.[0].resolved).toBe('[CONNECTED] (false) == true');
  });
});

/** Twenty A records: more than the test server puts in a UDP answer, as with a large real record set. */
const BIG = Array.from({ length: 20 }, (_, i) => ({
  type: 'A' as const,
  name: 'big.ploy.test',
  ttl: 60,
  data: `10.9.9.${i + 1}`,
}));

describe('the dns probe against a real DNS server on a loopback UDP (and TCP) port', () => {
  let server: string;
  let tcpQueries = 0;
  beforeAll(async () => {
    const udpServer = () => {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (msg, rinfo) => {
        const q = dnsPacket.decode(msg);
        const question = q.questions![0];
        if (question.name === 'big.ploy.test') {
          // Too big for UDP: an empty answer with the TC bit, as a server does past its UDP size.
          const truncated = { type: 'response' as const, id: q.id, flags: dnsPacket.TRUNCATED_RESPONSE, questions: q.questions };
          return socket.send(dnsPacket.encode(truncated), rinfo.port, rinfo.address);
        }
        const known = question.name === 'app.ploy.test';
        const reply = dnsPacket.encode({
          type: 'response',
          id: q.id,
          flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : 3), // rcode 3 = NXDOMAIN
          questions: q.questions,
          answers:
            known && question.type === 'A'
              ? [{ type: 'A', name: question.name, ttl: 60, data: '10.1.2.3' }]
              : known && question.type === 'MX'
                ? [{ type: 'MX', name: question.name, ttl: 60, data: { preference: 10, exchange: 'mx.ploy.test' } }]
                : [],
        });
        socket.send(reply, rinfo.port, rinfo.address);
      });
      return socket;
    };
    // The same port over TCP (RFC 7766): length-prefixed messages, the whole answer.
    const tcp = net.createServer((conn) => {
      conn.once('data', (data: Buffer) => {
        tcpQueries++;
        const q = dnsPacket.streamDecode(data);
        conn.end(dnsPacket.streamEncode({ type: 'response', id: q.id, flags: 0, questions: q.questions, answers: BIG }));
      });
    });
    const listenTcp = (port: number) =>
      new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, '127.0.0.1', () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    // UDP and TCP on one port number: the number the UDP socket got may be taken over TCP by
    // another process (tests run in parallel), so a clash is retried with a new number.
    let socket: dgram.Socket;
    for (let attempt = 1; ; attempt++) {
      socket = udpServer();
      await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
      try {
        await listenTcp(socket.address().port);
        break;
      } catch (err) {
        socket.close();
        if (attempt === 20 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    closers.push(() => socket.close());
    closers.push(() => new Promise((r) => tcp.close(r)));
    server = `127.0.0.1:${socket.address().port}`;
  });

  it('asks again over TCP when the UDP answer is truncated, and reads the whole answer', async () => {
    const beat = await check({ dns: { name: 'big.ploy.test', server }, conditions: ['[BODY] == 10.9.9.1'] });
    expect(beat).toMatchObject({ ok: true, status: 'NOERROR (TCP)' });
    expect(tcpQueries).toBe(1);
    // An answer that fits stays on UDP.
    expect(await check({ dns: { name: 'app.ploy.test', server } })).toMatchObject({ ok: true, status: 'NOERROR' });
    expect(tcpQueries).toBe(1);
  });

  it('resolves a record, with [DNS_RCODE] and the answer as [BODY]', async () => {
    const beat = await check({
      dns: { name: 'app.ploy.test', server },
      conditions: ['[DNS_RCODE] == NOERROR', '[BODY] == 10.1.2.3'],
    });
    expect(beat).toMatchObject({ ok: true, status: 'NOERROR' });
    expect(beat.conditions?.map((c) => c.resolved)).toEqual([
      '[DNS_RCODE] (NOERROR) == NOERROR',
      '[BODY] (10.1.2.3) == 10.1.2.3',
    ]);
    expect(
      await check({ dns: { name: 'app.ploy.test', type: 'MX', server }, conditions: ['[BODY] == mx.ploy.test'] }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('is down on NXDOMAIN without conditions, and says so', async () => {
    expect(await check({ dns: { name: 'nope.ploy.test', server } })).toMatchObject({
      ok: false,
      status: 'NXDOMAIN',
      error: 'NXDOMAIN for nope.ploy.test',
    });
  });

  it('times out when the server does not answer', async () => {
    const beat = await check({ dns: { name: 'app.ploy.test', server: '127.0.0.1:9' }, timeout: '300ms' });
    expect(beat.ok).toBe(false);
  });
});

describe('the ping probe (system ping)', () => {
  it('passes for loopback with the round trip as [RESPONSE_TIME]', async () => {
    const beat = await check({ ping: { host: '127.0.0.1' }, conditions: ['[RESPONSE_TIME] < 1000'] });
    expect(beat).toMatchObject({ ok: true, status: expect.stringMatching(/^reply in [\d.]+ ms$/) });
  });

  it('is down for an unreachable host, even when the conditions would pass', async () => {
    // 240.0.0.0/4 is reserved: routers answer "unreachable" (an ICMP reply that is not an echo) or nothing.
    const beat = await check({ ping: { host: '240.0.0.1' }, timeout: '1s', conditions: ['[CONNECTED] == false'] });
    expect(beat.ok).toBe(false);
    expect(beat.error).toMatch(/^240\.0\.0\.1 is unreachable/);
  });
});
