import { describe, expect, it } from 'vitest';
import { apiSettings, DEFAULT_API_LIMITS, exposureProblem, exposureWarning, isLoopback } from './api-settings.js';

const at = () => ({ file: 'ploy.config.yaml', line: 7, column: 3 });
const settings = (api: unknown) => apiSettings({ api }, at).settings;

describe('apiSettings', () => {
  it('defaults to a loopback listen, no extra hosts, GraphiQL on, and the default limits and timeouts', () => {
    expect(settings(undefined)).toEqual({
      listen: '127.0.0.1:4000',
      token: undefined,
      hosts: [],
      insecureNoToken: false,
      graphiql: true,
      limits: DEFAULT_API_LIMITS,
      timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 },
    });
  });

  it('reads sizes, counts and durations', () => {
    const s = settings({
      hosts: ['Ploy.Example.com'],
      limits: { body: '1M', tokens: 500, fields: 50 },
      timeouts: { request: '1m', headers: '5s' },
    });
    expect(s.hosts).toEqual(['ploy.example.com']);
    expect(s.limits).toMatchObject({ bodyBytes: 1024 * 1024, tokens: 500, fields: 50, aliases: 30 });
    expect(s.timeouts).toEqual({ requestMs: 60_000, headersMs: 5_000, keepAliveMs: 5_000 });
  });

  it('refuses a headers timeout longer than the request timeout that includes it, at its line', () => {
    const { diagnostics } = apiSettings({ api: { timeouts: { request: '5s', headers: '10s' } } }, at);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 7,
        message: expect.stringMatching(/api\.timeouts\.headers \(10s\) is longer than api\.timeouts\.request \(5s\)/),
      }),
    ]);
  });
});

describe('a listen address other machines can reach', () => {
  it('knows loopback addresses and names', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', 'localhost', 'api.localhost']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'ploy.example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });

  it('needs a token, or the explicit insecure setting, which is then warned about', () => {
    expect(exposureProblem(settings({ listen: '127.0.0.1:4000' }))).toBeUndefined();
    expect(exposureProblem(settings({ listen: ':4000' }))).toBeUndefined();
    expect(exposureProblem(settings({ listen: '[::1]:4000' }))).toBeUndefined();
    expect(exposureProblem(settings({ listen: '0.0.0.0:4000' }))).toMatch(
      /^api\.listen is 0\.0\.0\.0:4000, .*api\.token is not set/,
    );
    expect(exposureProblem(settings({ listen: '[::]:4000' }))).toMatch(/api\.insecureNoToken: true/);
    expect(exposureProblem(settings({ listen: '0.0.0.0:4000', token: 't' }))).toBeUndefined();
    const insecure = settings({ listen: '0.0.0.0:4000', insecureNoToken: true });
    expect(exposureProblem(insecure)).toBeUndefined();
    expect(exposureWarning(insecure)).toMatch(/^INSECURE/);
    expect(exposureWarning(settings({ listen: '0.0.0.0:4000', token: 't' }))).toBeUndefined();
  });
});
