import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../engine/executors/cancellation.js';
import { runHttp } from '../../engine/executors/http.js';
import { OutputTail } from '../../engine/executors/output-tail.js';
import { monitor } from '../../engine/kinds/monitor/index.js';
import { compileMonitor } from '../../engine/runtime/monitors/compiled-monitor.js';
import { runCheck } from '../../engine/runtime/monitors/check.js';
import { webhook } from '../../engine/notifiers/webhook.js';
import { makeDir, ploy, seedEmbeddedStore } from '../support/cli.js';
import { selfSignedCert } from '../support/tls-cert.js';

const BIN = path.join(import.meta.dirname, '../../bin/ploy.js');

/** What a monitor or a job sends: a credential, a cookie, a custom key header. */
const CREDENTIALS = { Authorization: 'Bearer t0ken', Cookie: 'session=c00kie', 'X-Api-Key': 'k3y' };
const credentialsIn = (h: http.IncomingHttpHeaders | undefined) => ({
  authorization: h?.authorization,
  cookie: h?.cookie,
  'x-api-key': h?.['x-api-key'],
});
const NONE = { authorization: undefined, cookie: undefined, 'x-api-key': undefined };
const ALL = { authorization: 'Bearer t0ken', cookie: 'session=c00kie', 'x-api-key': 'k3y' };

/**
 * Three loopback servers, three origins: `a` and `b` (http, different ports) and `tls` (https).
 * Each redirects `/to-b` to b's `/landing`, `/here` to its own `/landing`, and records the
 * headers each `/landing` request arrived with.
 */
const landed = new Map<string, http.IncomingHttpHeaders>();
let a: string;
let b: string;
let tls: string;
let cert: { key: string; cert: string };
const servers: http.Server[] = [];

function handler(name: string) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    if (req.url === '/to-b') return res.writeHead(302, { location: `${b}/landing` }).end();
    if (req.url === '/here') return res.writeHead(302, { location: '/landing' }).end();
    if (req.url === '/landing') {
      landed.set(name, req.headers);
      return res.end('ok');
    }
    res.writeHead(404).end();
  };
}

async function listen(server: http.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  cert = selfSignedCert(30);
  a = `http://127.0.0.1:${await listen(http.createServer(handler('a')))}`;
  b = `http://127.0.0.1:${await listen(http.createServer(handler('b')))}`;
  tls = `https://127.0.0.1:${await listen(https.createServer(cert, handler('tls')))}`;
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** One check of an http monitor through the engine's monitor path; `ip` takes the node:http transport. */
async function probe(url: string, opts: { ip?: boolean } = {}) {
  landed.clear();
  const spec = {
    http: { url, headers: CREDENTIALS, ca: cert.cert },
    conditions: [opts.ip ? '[IP] == 127.0.0.1' : '[STATUS] == 200'],
  };
  const m = compileMonitor('redirects', monitor.withDefaults({ timeout: '2s', ...spec }), 'h')!;
  return runCheck(m, { now: () => new Date(), signal: new AbortController().signal, watchedSince: new Date() });
}

describe('the http monitor probe does not hand credentials to another origin on a redirect', () => {
  for (const transport of ['undici', 'node:http'] as const) {
    const ip = transport === 'node:http';
    it(`drops Authorization, Cookie and custom headers on a redirect to another port (${transport})`, async () => {
      expect(await probe(`${a}/to-b`, { ip })).toMatchObject({ ok: true });
      expect(credentialsIn(landed.get('b'))).toEqual(NONE);
      expect(landed.get('b')?.['user-agent']).toBe('ploy-monitor');
    });

    it(`keeps them on a redirect within the same origin (${transport})`, async () => {
      expect(await probe(`${a}/here`, { ip })).toMatchObject({ ok: true });
      expect(credentialsIn(landed.get('a'))).toEqual(ALL);
    });

    it(`does not carry them from https to http (${transport})`, async () => {
      expect(await probe(`${tls}/to-b`, { ip })).toMatchObject({ ok: true });
      expect(credentialsIn(landed.get('b'))).toEqual(NONE);
      // The same request redirected within the https origin keeps them: the TLS setup is not why.
      expect(await probe(`${tls}/here`, { ip })).toMatchObject({ ok: true });
      expect(credentialsIn(landed.get('tls'))).toEqual(ALL);
    });
  }
});

describe('the http job runner does not hand credentials to another origin on a redirect', () => {
  const ctx = () => ({
    job: 'nightly',
    ployEnv: { PLOY_JOB: 'nightly' },
    cancel: Cancellation.after(5_000),
    output: new OutputTail(),
  });

  it('drops Authorization, Cookie, custom and X-Ploy-* headers on a redirect to another port', async () => {
    landed.clear();
    expect(await runHttp({ url: `${a}/to-b`, headers: CREDENTIALS }, ctx())).toEqual({ ok: true, exitCode: 200 });
    expect(credentialsIn(landed.get('b'))).toEqual(NONE);
    expect(landed.get('b')?.['x-ploy-job']).toBeUndefined();
  });

  it('keeps them on a redirect within the same origin', async () => {
    landed.clear();
    expect(await runHttp({ url: `${a}/here`, headers: CREDENTIALS }, ctx())).toEqual({ ok: true, exitCode: 200 });
    expect(credentialsIn(landed.get('a'))).toEqual(ALL);
    expect(landed.get('a')?.['x-ploy-job']).toBe('nightly');
  });

  it('does not carry them from https to http (ploy run job, trusting the test CA)', async () => {
    const job = (name: string, url: string) =>
      `kind: Job\nname: ${name}\nschedule: "@daily"\nhttp:\n  url: "${url}"\n  headers: ${JSON.stringify(CREDENTIALS)}\n---\n`;
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\n',
      'repo/jobs.yaml': job('downgrade', `${tls}/to-b`) + job('same', `${tls}/here`),
      'ca.pem': cert.cert,
    });
    await seedEmbeddedStore(path.join(cwd, '.ploy'));
    expect((await ploy(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    // The job runner trusts the system's CAs; a process started with NODE_EXTRA_CA_CERTS adds ours.
    const runJob = (name: string) =>
      promisify(execFile)(process.execPath, [BIN, 'run', 'job', name], {
        cwd,
        env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: path.join(cwd, 'ca.pem') },
      });
    landed.clear();
    await runJob('downgrade');
    expect(credentialsIn(landed.get('b'))).toEqual(NONE);
    await runJob('same');
    expect(credentialsIn(landed.get('tls'))).toEqual(ALL);
  }, 120_000);
});

describe('a webhook notification that is redirected', () => {
  const deliver = (url: string) =>
    webhook.send(
      { url, headers: { Authorization: 'Bearer t0ken', Cookie: 'session=c00kie', 'X-Api-Key': 'k3y' } },
      {
        event: 'test',
        title: 'a test',
        text: 'a test',
        at: new Date(0),
        details: [],
        severity: 'info',
        incidentKey: 'test',
        resolves: false,
        data: {},
      },
      { signal: AbortSignal.timeout(5_000) },
    );

  it('sends no credential or custom header to another origin', async () => {
    landed.clear();
    await deliver(`${a}/to-b`);
    expect(credentialsIn(landed.get('b'))).toEqual(NONE);
  });

  it('keeps them on a redirect within the same origin', async () => {
    landed.clear();
    await deliver(`${a}/here`);
    expect(credentialsIn(landed.get('a'))).toEqual(ALL);
  });
});
