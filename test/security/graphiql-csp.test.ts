import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type ServedApi, startServedApi } from '../support/served-api.js';

let api: ServedApi;

beforeAll(async () => {
  api = await startServedApi({
    'ploy.config.yaml': 'source: {path: ./repo}\n',
    'repo/job.yaml': 'kind: Job\nname: tick\nschedule: "0 0 1 1 *"\nshell: {command: "true"}\n',
  });
});

afterAll(async () => {
  await api?.stop();
});

const page = () => fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });

describe('GraphiQL served by ploy serve', () => {
  it('loads nothing from another origin and carries a CSP that allows only its own inline script', async () => {
    const r = await page();
    expect(r.status).toBe(200);
    const html = await r.text();
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // No source of any kind names a scheme other than blob: and data:, nor another host.
    expect(csp).not.toMatch(/https?:|\*/);
    // No element loads anything by URL: every script and style is inline.
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*rel="stylesheet"/i);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs/i);
    // The one inline script is the one the policy names by hash.
    const start = html.indexOf('<script>') + '<script>'.length;
    const script = html.slice(start, html.indexOf('</script>', start));
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('renders in a browser under that policy, without a single violation', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const violations: string[] = [];
      const outside: string[] = [];
      tab.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      tab.on('request', (req) => {
        const url = new URL(req.url());
        if (!['blob:', 'data:'].includes(url.protocol) && url.host !== `127.0.0.1:${api.port}`) outside.push(req.url());
      });
      // Its first query is the schema's introspection, sent from the page's own origin.
      const introspection = tab.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST', {
        timeout: 20_000,
      });
      await tab.goto(`${api.url}/graphql`);
      await tab.waitForSelector('.graphiql-container', { timeout: 20_000 });
      const schema = await introspection;
      expect(schema.status()).toBe(200);
      expect((await schema.json()).data.__schema.queryType.name).toBe('Query');
      expect(violations).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 40_000);
});
