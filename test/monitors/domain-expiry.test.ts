import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitor } from '../../engine/kinds/monitor/index.js';
import { Sensitive } from '../../engine/model/sensitive.js';
import { runCheck } from '../../engine/runtime/monitors/check.js';
import { compileMonitor } from '../../engine/runtime/monitors/compiled-monitor.js';
import { rdapDomainExpiry } from '../../engine/runtime/monitors/domain-expiry.js';

const DAY = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
// A local RDAP server: example.test expires in 40 days, shop.co.test in 5; co.test is a suffix (404).
// bar.co.uk, github.io and example.com (60, 70, 80 days) are looked up by name only: nothing connects to them.
const asked: string[] = [];
let rdap: http.Server;
let baseUrl: string;
beforeAll(async () => {
  rdap = http.createServer((req, res) => {
    asked.push(req.url!);
    const expiry = {
      '/domain/example.test': now + 40 * DAY,
      '/domain/shop.co.test': now + 5 * DAY,
      '/domain/bar.co.uk': now + 60 * DAY,
      '/domain/github.io': now + 70 * DAY,
      '/domain/example.com': now + 80 * DAY,
    }[req.url!];
    if (!expiry) return res.writeHead(404, { 'content-type': 'application/rdap+json' }).end('{"errorCode":404}');
    res.writeHead(200, { 'content-type': 'application/rdap+json' }).end(
      JSON.stringify({
        objectClassName: 'domain',
        ldhName: req.url!.slice('/domain/'.length),
        events: [
          { eventAction: 'registration', eventDate: '2001-01-01T00:00:00Z' },
          { eventAction: 'expiration', eventDate: new Date(expiry).toISOString() },
        ],
      }),
    );
  });
  await new Promise<void>((r) => rdap.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(rdap.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => rdap.close(r)));

/** A tcp monitor of a host that does not resolve: only [DOMAIN_EXPIRATION] decides. */
async function check(host: string, conditions: string[], lookup = rdapDomainExpiry({ baseUrl, now: () => now })) {
  const m = compileMonitor('domain', monitor.withDefaults({ tcp: { host, port: 443 }, timeout: '2s', conditions }), 'h')!;
  const beat = await runCheck(m, {
    now: () => new Date(now),
    signal: new AbortController().signal,
    watchedSince: new Date(now),
    domainExpiry: lookup,
  });
  return { beat, lookup };
}

describe('[DOMAIN_EXPIRATION] through RDAP', () => {
  it('reads the expiration event of the registered domain, once per domain', async () => {
    asked.length = 0;
    const { beat, lookup } = await check('www.example.test', ['[DOMAIN_EXPIRATION] > 720h']);
    expect(beat.ok).toBe(true);
    expect(beat.conditions?.[0].resolved).toMatch(/^\[DOMAIN_EXPIRATION\] \(960h[\dms]*\) > 720h$/);
    await check('api.example.test', ['[DOMAIN_EXPIRATION] > 720h'], lookup);
    await check('www.example.test', ['[DOMAIN_EXPIRATION] > 720h'], lookup);
    // One lookup for every host under the domain, however many checks.
    expect(asked).toEqual(['/domain/example.test']);
  });

  it('tries the last three labels when the last two are a public suffix, and fails a domain close to expiry', async () => {
    asked.length = 0;
    const { beat } = await check('api.shop.co.test', ['[DOMAIN_EXPIRATION] > 720h']);
    expect(asked).toEqual(['/domain/co.test', '/domain/shop.co.test']);
    expect(beat.ok).toBe(false);
    expect(beat.conditions?.[0].resolved).toMatch(/^\[DOMAIN_EXPIRATION\] \(120h[\dms]*\) > 720h$/);
  });

  it('reads 0 and says why when RDAP does not know the domain', async () => {
    const { beat } = await check('nowhere.test', ['[DOMAIN_EXPIRATION] > 720h']);
    expect(beat.ok).toBe(false);
    expect(beat.error).toContain('[DOMAIN_EXPIRATION] unknown: RDAP does not know the domain of nowhere.test');
  });

  it('never looks up a host that comes from a secret, so no RDAP error names it', async () => {
    asked.length = 0;
    const url = new Sensitive('https://www.example.test/', '${secret:URL}', ['URL']);
    const m = compileMonitor('hidden', monitor.withDefaults({ http: { url }, conditions: ['[DOMAIN_EXPIRATION] > 1h'] }), 'h')!;
    expect(m.domainHost).toBeUndefined();
    const beat = await runCheck(m, {
      now: () => new Date(now),
      signal: AbortSignal.timeout(2000),
      watchedSince: new Date(now),
      domainExpiry: rdapDomainExpiry({ baseUrl, now: () => now }),
    });
    expect(asked).toEqual([]);
    expect(beat.error).toContain('[DOMAIN_EXPIRATION] unknown: no domain to look up (an app target, or a host from a secret)');
    expect(beat.error).not.toContain('RDAP');
  });

  it('asks for the domain the Public Suffix List names, once, for hosts under a public suffix', async () => {
    const cases: Array<[string, string, number]> = [
      ['foo.bar.co.uk', '/domain/bar.co.uk', 60],
      ['x.github.io', '/domain/github.io', 70],
      ['a.b.example.com', '/domain/example.com', 80],
      ['WWW.Example.COM.', '/domain/example.com', 80],
    ];
    for (const [host, domain, days] of cases) {
      asked.length = 0;
      const lookup = rdapDomainExpiry({ baseUrl, now: () => now });
      const found = await lookup.expiresAt(host, AbortSignal.timeout(2000));
      await lookup.expiresAt(host, AbortSignal.timeout(2000));
      expect({ host, asked: [...asked], found }).toEqual({ host, asked: [domain], found: { at: now + days * DAY } });
    }
  });

  it('never asks about an IP address or a public suffix itself, and says why', async () => {
    asked.length = 0;
    const lookup = rdapDomainExpiry({ baseUrl, now: () => now });
    for (const host of ['127.0.0.1', '::1', 'co.uk', 'localhost']) {
      expect(await lookup.expiresAt(host, AbortSignal.timeout(2000))).toEqual({ error: `${host} is not a registered domain` });
    }
    expect(asked).toEqual([]);
  });

  it('asks nothing when no condition reads it', async () => {
    asked.length = 0;
    await check('www.example.test', ['[CONNECTED] == false']);
    expect(asked).toEqual([]);
  });
});
