import { describe, expect, it } from 'vitest';
import { expectOnlyErrors, expectValid, validateFiles, yaml } from './harness.js';

// FORMAT.md, "Monitor": the example and its probe alternatives, Gatus conditions (an error with
// its line when one does not parse), and the names a monitor refers to.

const FORMAT_EXAMPLE = yaml(
  'kind: Monitor',
  'name: api-health',
  'http: {url: https://api.example.com/health, method: GET, headers: {Accept: application/json}}',
  '# or: tcp: {host, port} | dns: {name, type, server} | tls: {host, port} | docker: {app}',
  '#   | push: {grace: 26h} | http: {app: web, port: 3000, path: /healthz}',
  'interval: 30s        # default 60s',
  'timeout: 10s         # default 10s',
  'retries: 1           # extra tries before a check counts as failed; default 0',
  'conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 800", "[BODY].status == UP", "len([BODY].checks) > 0"]',
  'failureThreshold: 3  # failed checks in a row before DOWN; default 3',
  'successThreshold: 2  # passed checks in a row before UP again; default 2',
  'notify: [ops-slack]',
);
const OPS_SLACK = yaml(
  'kind: Notification',
  'name: ops-slack',
  'slack: {webhookUrl: "https://hooks.slack.com/services/T0/B0/x"}',
);
const WEB = yaml('kind: App', 'name: web', 'image: nginx:1.27');

const monitor = (name: string, probe: string, ...more: string[]) => yaml('kind: Monitor', `name: ${name}`, probe, ...more);

describe('the Monitor of FORMAT.md', () => {
  it('is valid, with its notification declared', async () => {
    expect(await validateFiles({ 'm.yaml': FORMAT_EXAMPLE, 'n.yaml': OPS_SLACK })).toEqual([]);
  });

  it('has valid alternatives for every probe', async () => {
    const ds = await validateFiles({
      'web.yaml': WEB,
      'probes.yaml': [
        monitor('tcp', 'tcp: {host: db.internal, port: 5432}'),
        monitor('dns', 'dns: {name: example.com, type: AAAA, server: 1.1.1.1}'),
        monitor('tls', 'tls: {host: example.com, port: 443}'),
        monitor('docker', 'docker: {app: web}'),
        monitor('push', 'push: {grace: 26h}'),
        monitor('http-app', 'http: {app: web, port: 3000, path: /healthz}'),
        monitor('ping', 'ping: {host: 10.0.0.1}'),
      ].join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses an http probe with both url and app', async () => {
    const ds = await validateFiles({
      'web.yaml': WEB,
      'm.yaml': monitor('up', 'http:', '  url: https://example.com', '  app: web', '  port: 80'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'm.yaml', line: 5, words: ['http', 'both url and app'] }]);
  });

  it('refuses an http probe of an app without port', async () => {
    const ds = await validateFiles({ 'web.yaml': WEB, 'm.yaml': monitor('up', 'http:', '  app: web') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'm.yaml', line: 3, words: ['http', 'port'] }]);
  });
});

describe('conditions', () => {
  it('accepts the placeholders, operators and functions of FORMAT.md', async () => {
    const conditions = [
      '[STATUS] == 200',
      '[STATUS] != 500',
      '[RESPONSE_TIME] < 800',
      '[RESPONSE_TIME] <= 1s',
      '[BODY].status == UP',
      '[BODY].data.items[0].id >= 1',
      'len([BODY].checks) > 0',
      'has([BODY].errors) == false',
      '[BODY].name == pat(web-*)',
      '[STATUS] == any(200, 204)',
      '[CONNECTED] == true',
      '[IP] == 127.0.0.1',
      '[DNS_RCODE] == NOERROR',
      '[CERTIFICATE_EXPIRATION] > 48h',
    ];
    const ds = await validateFiles({
      'm.yaml': monitor('up', 'http: {url: "https://example.com"}', 'conditions:', ...conditions.map((c) => `  - "${c}"`)),
    });
    expectValid(ds);
  });

  it('refuses a condition that does not parse, at the line of that condition, saying why', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor(
        'up',
        'http: {url: "https://example.com"}',
        'conditions:',
        '  - "[STATUS] == 200"',
        '  - "[STATUS] =="',
        '  - "[RESPONSE_TIME] < 800"',
      ),
    });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-condition',
        file: 'm.yaml',
        line: 6,
        words: ['"[STATUS] =="', 'does not parse', "'=='"],
      },
    ]);
  });

  it('refuses a condition in a flow list at the line it is written on', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor('up', 'http: {url: "https://example.com"}', 'conditions: ["[STATUS] == 200",', '  "[STATUS] >>> 1"]'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-condition', file: 'm.yaml', line: 5, words: ['"[STATUS] >>> 1"'] }]);
  });

  it('names an unknown placeholder and the known ones', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor('up', 'http: {url: "https://example.com"}', 'conditions:', '  - "[STATU] == 200"'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-condition', file: 'm.yaml', line: 5, words: ['[STATU]', '[STATUS]'] }]);
  });

  it('names an unknown function and the known ones', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor('up', 'http: {url: "https://example.com"}', 'conditions:', '  - "size([BODY].items) > 0"'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-condition', file: 'm.yaml', line: 5, words: ["'size'", 'len, has, pat, any'] }]);
  });

  it('reports every bad condition, each at its own line', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor(
        'up',
        'http: {url: "https://example.com"}',
        'conditions:',
        '  - "[STATUS] = 200"',
        '  - "[STATUS] == 200"',
        '  - "[BODY].a[ == 1"',
      ),
    });
    expect(ds.map((d) => `${d.code}:${d.line}`)).toEqual(['invalid-condition:5', 'invalid-condition:7']);
  });
});

describe('references', () => {
  it('refuses a notify entry naming no Notification, at the entry, suggesting the closest', async () => {
    const ds = await validateFiles({
      'n.yaml': OPS_SLACK,
      'm.yaml': monitor('up', 'tcp: {host: db, port: 5432}', 'notify:', '  - ops-slak'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-reference',
        file: 'm.yaml',
        line: 5,
        words: ['Monitor up', 'Notification "ops-slak"', 'not declared', 'Did you mean "ops-slack"?'],
      },
    ]);
  });

  it('refuses a docker probe of an app that is not declared', async () => {
    const ds = await validateFiles({ 'm.yaml': monitor('up', 'docker:', '  app: wbe'), 'web.yaml': WEB });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'm.yaml', line: 4, words: ['App "wbe"', 'Did you mean "web"?'] }]);
  });

  it('refuses an http probe of an app that is not declared', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor('up', 'http: {app: api, port: 3000, path: /healthz}'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-reference',
        file: 'm.yaml',
        line: 3,
        words: ['Monitor up', 'App "api"', 'not declared'],
      },
    ]);
  });

  it('accepts docker and http probes of declared apps', async () => {
    const ds = await validateFiles({
      'web.yaml': WEB,
      'm.yaml': [monitor('a', 'docker: {app: web}'), monitor('b', 'http: {app: web, port: 80}')].join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses a dependsOn naming no Monitor', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor('api', 'tcp: {host: api, port: 80}', 'dependsOn: [network]'),
    });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'm.yaml', line: 4, words: ['Monitor "network"'] }]);
  });
});

describe('maintenance windows', () => {
  it('accept a cron schedule, a duration and a timezone', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor(
        'up',
        'tcp: {host: db, port: 5432}',
        'maintenance:',
        '  - {schedule: "0 3 * * 0", duration: 2h, timezone: Europe/Berlin}',
      ),
    });
    expect(ds).toEqual([]);
  });

  it('refuse an invalid schedule and an unknown timezone, each at its line', async () => {
    const ds = await validateFiles({
      'm.yaml': monitor(
        'up',
        'tcp: {host: db, port: 5432}',
        'maintenance:',
        '  - schedule: "0 25 * * *"',
        '    duration: 2h',
        '    timezone: Europe/Berln',
      ),
    });
    expectOnlyErrors(ds, [
      { code: 'invalid-schedule', file: 'm.yaml', line: 5, words: ['"0 25 * * *"'] },
      { code: 'invalid-timezone', file: 'm.yaml', line: 7, words: ['"Europe/Berln"', 'IANA'] },
    ]);
  });
});
