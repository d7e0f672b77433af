import { describe, expect, it } from 'vitest';
import { expectOne, expectOnlyErrors, expectValid, validate, validateFiles, yaml } from './harness.js';

// FORMAT.md, "Files": what every document is (kind, name, labels, description, protect), unknown
// fields, required fields per kind, and the formats of durations, memory sizes and ports.

const app = (...more: string[]) => yaml('kind: App', 'name: web', 'image: nginx:1.27', ...more);
const monitor = (...more: string[]) => yaml('kind: Monitor', 'name: up', 'tcp: {host: db, port: 5432}', ...more);

describe('kind', () => {
  it('accepts the four kinds App, Monitor, Job and Notification', async () => {
    const r = await validate({
      'a.yaml': app(),
      'm.yaml': monitor(),
      'j.yaml': yaml('kind: Job', 'name: tick', 'schedule: "@hourly"', 'shell: {command: "true"}'),
      'n.yaml': yaml('kind: Notification', 'name: ops', 'ntfy: {topic: ops}'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources.map((x) => x.key).sort()).toEqual(['App/web', 'Job/tick', 'Monitor/up', 'Notification/ops']);
  });

  it('refuses an unknown kind at its line and suggests the closest one', async () => {
    const ds = await validateFiles({ 'a.yaml': yaml('# the web app', 'kind: app', 'name: web', 'image: x') });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-kind',
        file: 'a.yaml',
        line: 2,
        words: ['"app"', 'App, Monitor, Job or Notification', 'Did you mean "App"?'],
      },
    ]);
  });

  it('refuses a document without kind', async () => {
    const ds = await validateFiles({ 'a.yaml': yaml('name: web', 'image: x') });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'a.yaml', line: 1, words: ['"kind"'] }]);
  });
});

describe('name', () => {
  const named = (name: string) => ({ 'a.yaml': yaml('kind: App', `name: "${name}"`, 'image: x') });

  it('accepts lowercase DNS labels, from 1 to 63 characters', async () => {
    for (const name of ['a', '0', 'web', 'db-backup', 'a1-b2-c3', 'x'.repeat(63), `a${'-'.repeat(61)}z`]) {
      expectValid(await validateFiles(named(name)));
    }
  });

  it('refuses a name of 64 characters', async () => {
    const ds = await validateFiles(named('x'.repeat(64)));
    expectOnlyErrors(ds, [
      {
        code: 'invalid-name',
        file: 'a.yaml',
        line: 2,
        words: ['name', 'lowercase DNS label', '63 characters'],
      },
    ]);
  });

  it('refuses uppercase letters, underscores, dots, and a leading or trailing hyphen, showing the name', async () => {
    for (const name of ['Web', 'my_app', 'web.v2', '-web', 'web-', 'we b', '']) {
      const ds = await validateFiles(named(name));
      expectOnlyErrors(ds, [{ code: 'invalid-name', file: 'a.yaml', line: 2, words: [`"${name}"`, 'lowercase DNS label'] }]);
    }
  });

  it('refuses a document without name', async () => {
    const ds = await validateFiles({
      'a.yaml': yaml('kind: Job', 'schedule: "@daily"', 'shell: {command: "true"}'),
    });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'a.yaml', line: 1, words: ['required field "name"'] }]);
  });

  it('refuses a name used twice in one kind, naming both places', async () => {
    const ds = await validateFiles({
      'apps/web.yaml': app(),
      'more/web-again.yaml': yaml('# copied by mistake', 'kind: App', 'name: web', 'image: nginx:2'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'duplicate-name',
        file: 'apps/web.yaml',
        line: 2,
        words: ['App "web"', 'declared twice', 'more/web-again.yaml:3', 'unique per kind'],
      },
      {
        code: 'duplicate-name',
        file: 'more/web-again.yaml',
        line: 3,
        words: ['App "web"', 'declared twice', 'apps/web.yaml:2'],
      },
    ]);
  });

  it('refuses a name used twice in one file', async () => {
    const ds = await validateFiles({ 'm.yaml': `${monitor()}---\n${monitor()}` });
    expectOnlyErrors(ds, [
      { code: 'duplicate-name', file: 'm.yaml', line: 2, words: ['Monitor "up"', 'm.yaml:6'] },
      { code: 'duplicate-name', file: 'm.yaml', line: 6, words: ['Monitor "up"', 'm.yaml:2'] },
    ]);
  });

  it('accepts the same name in two kinds', async () => {
    const ds = await validateFiles({
      'web.yaml': [
        yaml('kind: App', 'name: web', 'image: nginx'),
        yaml('kind: Monitor', 'name: web', 'docker: {app: web}'),
        yaml('kind: Job', 'name: web', 'schedule: "@daily"', 'exec: {app: web, command: [ls]}'),
        yaml('kind: Notification', 'name: web', 'ntfy: {topic: web}'),
      ].join('---\n'),
    });
    expect(ds).toEqual([]);
  });
});

describe('labels, description and protect', () => {
  it('accepts labels as a map of strings, a description and protect: true', async () => {
    const r = await validate({
      'a.yaml': app('labels: {team: shop, tier: "1", public: "true"}', 'description: The shop front end.', 'protect: true'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources[0].spec).toMatchObject({
      labels: { team: 'shop', tier: '1', public: 'true' },
      protect: true,
    });
  });

  it('refuses a label value that is not a string, at the label', async () => {
    const ds = await validateFiles({ 'a.yaml': app('labels:', '  team: shop', '  tier: 1') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 6, words: ['labels.tier', 'string'] }]);
  });

  it('refuses labels written as a list', async () => {
    const ds = await validateFiles({ 'a.yaml': app('labels: [team, shop]') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 4, words: ['labels', 'object'] }]);
  });

  it('refuses protect that is not a boolean (yes is a string in YAML 1.2)', async () => {
    const ds = await validateFiles({ 'a.yaml': monitor('protect: yes') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 4, words: ['protect', 'boolean'] }]);
  });

  it('refuses a description that is not a string', async () => {
    const ds = await validateFiles({ 'a.yaml': app('description: [a, b]') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 4, words: ['description', 'string'] }]);
  });
});

describe('unknown fields', () => {
  it('names the unknown field and suggests the closest valid one: imgae → image', async () => {
    const ds = await validateFiles({ 'a.yaml': yaml('kind: App', 'name: web', 'imgae: nginx:1.27') });
    const d = expectOne(ds, {
      code: 'unknown-field',
      file: 'a.yaml',
      line: 3,
      words: ['"imgae"', 'App web', 'Did you mean "image"?'],
    });
    expect(d.resource).toBe('App/web');
  });

  it('refuses unknown fields in every kind, nested ones included, each at its line', async () => {
    const ds = await validateFiles({
      'a.yaml': app('healthcheck:', '  http: {path: /healthz, port: 3000}', '  intervall: 5s'),
      'm.yaml': yaml(
        'kind: Monitor',
        'name: up',
        'http:',
        '  url: https://example.com',
        '  metod: GET',
        'interval: 30s',
        'notfy: [ops]',
      ),
      'j.yaml': yaml('kind: Job', 'name: tick', 'schedul: "@daily"', 'schedule: "@daily"', 'shell: {command: "true"}'),
      'n.yaml': yaml('kind: Notification', 'name: ops', 'slack: {webhook: "https://hooks.slack.com/x"}'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-field',
        file: 'a.yaml',
        line: 6,
        words: ['"intervall"', 'healthcheck', 'Did you mean "interval"?'],
      },
      { code: 'unknown-field', file: 'j.yaml', line: 3, words: ['"schedul"', 'Did you mean "schedule"?'] },
      {
        code: 'unknown-field',
        file: 'm.yaml',
        line: 5,
        words: ['"metod"', 'http', 'Did you mean "method"?'],
      },
      { code: 'unknown-field', file: 'm.yaml', line: 7, words: ['"notfy"', 'Did you mean "notify"?'] },
      { code: 'missing-field', file: 'n.yaml', line: 3, words: ['webhookUrl', 'slack'] },
      {
        code: 'unknown-field',
        file: 'n.yaml',
        line: 3,
        words: ['"webhook"', 'slack', 'Did you mean "webhookUrl"?'],
      },
    ]);
  });

  it('suggests nothing when no field is close', async () => {
    const ds = await validateFiles({ 'a.yaml': app('colour: red') });
    const d = expectOne(ds, { code: 'unknown-field', file: 'a.yaml', line: 4, words: ['"colour"'] });
    expect(d.message).not.toContain('Did you mean');
  });
});

describe('required fields per kind', () => {
  it('needs image or build for an App', async () => {
    const ds = await validateFiles({ 'a.yaml': yaml('kind: App', 'name: web', 'replicas: 2') });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'a.yaml', line: 1, words: ['App web', 'image or build'] }]);
  });

  it('refuses an App with both image and build, at the one written last', async () => {
    const ds = await validateFiles({
      'a.yaml': yaml('kind: App', 'name: web', 'build: {context: .}', 'image: nginx'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-field',
        file: 'a.yaml',
        line: 4,
        words: ['App web', 'both image and build', 'only one'],
      },
    ]);
  });

  it('needs exactly one probe for a Monitor, and says which ones there are', async () => {
    const none = await validateFiles({ 'm.yaml': yaml('kind: Monitor', 'name: up', 'interval: 30s') });
    expectOnlyErrors(none, [
      {
        code: 'missing-field',
        file: 'm.yaml',
        line: 1,
        words: ['Monitor up', 'exactly one probe', 'http, tcp, dns, tls, docker, push or ping'],
      },
    ]);
    const two = await validateFiles({
      'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp: {host: db, port: 5432}', 'interval: 30s', 'ping: {host: db}'),
    });
    expectOnlyErrors(two, [
      {
        code: 'invalid-field',
        file: 'm.yaml',
        line: 5,
        words: ['Monitor up', 'both tcp and ping', 'exactly one probe'],
      },
    ]);
  });

  it('needs a schedule and exactly one runner for a Job', async () => {
    const none = await validateFiles({ 'j.yaml': yaml('kind: Job', 'name: tick', 'timeout: 5m') });
    expectOnlyErrors(none, [
      { code: 'missing-field', file: 'j.yaml', line: 1, words: ['Job tick', '"schedule"'] },
      {
        code: 'missing-field',
        file: 'j.yaml',
        line: 1,
        words: ['Job tick', 'exactly one runner', 'container, shell, http or exec'],
      },
    ]);
    const three = await validateFiles({
      'j.yaml': yaml(
        'kind: Job',
        'name: tick',
        'schedule: "@daily"',
        'shell: {command: "true"}',
        'http: {url: "https://example.com"}',
        'container: {image: busybox}',
      ),
    });
    expectOnlyErrors(three, [
      {
        code: 'invalid-field',
        file: 'j.yaml',
        line: 6,
        words: ['Job tick', 'container, shell and http', 'exactly one runner'],
      },
    ]);
  });

  it('needs exactly one provider for a Notification', async () => {
    const none = await validateFiles({ 'n.yaml': yaml('kind: Notification', 'name: ops', 'default: true') });
    expectOnlyErrors(none, [
      {
        code: 'missing-field',
        file: 'n.yaml',
        line: 1,
        words: [
          'Notification ops',
          'exactly one provider',
          'webhook, slack, discord, teams, telegram, email, ntfy, gotify or pagerduty',
        ],
      },
    ]);
    const two = await validateFiles({
      'n.yaml': yaml(
        'kind: Notification',
        'name: ops',
        'ntfy: {topic: ops}',
        'discord: {webhookUrl: "https://discord.com/api/webhooks/1"}',
      ),
    });
    expectOnlyErrors(two, [
      {
        code: 'invalid-field',
        file: 'n.yaml',
        line: 4,
        words: ['Notification ops', 'both discord and ntfy', 'exactly one provider'],
      },
    ]);
  });

  it('needs the required fields inside a probe, runner or provider, at that field', async () => {
    const ds = await validateFiles({
      'm.yaml': yaml('kind: Monitor', 'name: up', 'interval: 30s', 'tcp:', '  host: db'),
    });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'm.yaml', line: 4, words: ['"port"', 'tcp'] }]);
  });
});

describe('durations, memory sizes and ports', () => {
  it('accepts the durations 500ms, 30s, 5m, 6h and 2d', async () => {
    for (const d of ['500ms', '30s', '5m', '6h', '2d'])
      expectValid(await validateFiles({ 'm.yaml': monitor(`interval: ${d}`, `timeout: ${d}`) }));
  });

  it('refuses other durations at their line, with the accepted forms', async () => {
    for (const d of ['30', '1h30m', '5 min', '"-5s"', '1.5s', '2w']) {
      const ds = await validateFiles({ 'm.yaml': monitor('retries: 1', `interval: ${d}`) });
      expectOnlyErrors(ds, [
        {
          code: 'invalid-duration',
          file: 'm.yaml',
          line: 5,
          words: ['interval', 'not a duration', '500ms, 30s, 5m, 6h or 2d'],
        },
      ]);
    }
  });

  it('checks durations wherever they appear (healthcheck, update, push grace, job timeout)', async () => {
    const ds = await validateFiles({
      'a.yaml': app('healthcheck: {cmd: [pg_isready], interval: 5sec}', 'update: {monitor: ten}'),
      'm.yaml': yaml('kind: Monitor', 'name: beat', 'push: {grace: 1 day}'),
      'j.yaml': yaml('kind: Job', 'name: tick', 'schedule: "@daily"', 'shell: {command: "true"}', 'timeout: 45 minutes'),
    });
    expectOnlyErrors(ds, [
      { code: 'invalid-duration', file: 'a.yaml', line: 4, words: ['healthcheck.interval'] },
      { code: 'invalid-duration', file: 'a.yaml', line: 5, words: ['update.monitor'] },
      { code: 'invalid-duration', file: 'j.yaml', line: 5, words: ['timeout'] },
      { code: 'invalid-duration', file: 'm.yaml', line: 3, words: ['push.grace'] },
    ]);
  });

  it('accepts the memory sizes 256M and 1G', async () => {
    for (const m of ['256M', '1G', '512k', '1.5G'])
      expectValid(await validateFiles({ 'a.yaml': app(`resources: {cpus: 0.5, memory: ${m}}`) }));
  });

  it('refuses a memory size without unit or with a unit of its own', async () => {
    for (const m of ['256MB', '256', '1 G', '1T']) {
      const ds = await validateFiles({ 'a.yaml': app('resources:', `  memory: ${m}`) });
      expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 5, words: ['resources.memory', '256M', '1G'] }]);
    }
  });

  it('accepts ports 1 and 65535', async () => {
    for (const p of [1, 65535])
      expectValid(await validateFiles({ 'm.yaml': yaml('kind: Monitor', 'name: up', `tcp: {host: db, port: ${p}}`) }));
  });

  it('refuses ports 0 and 65536 with the valid range', async () => {
    for (const p of [0, 65536]) {
      const ds = await validateFiles({
        'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp:', '  host: db', `  port: ${p}`),
      });
      expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'm.yaml', line: 5, words: ['tcp.port', 'from 1 to 65535'] }]);
    }
  });

  it('refuses a port written as text', async () => {
    const ds = await validateFiles({
      'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp:', '  host: db', '  port: "5432"'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'm.yaml', line: 5, words: ['tcp.port', 'integer'] }]);
  });

  it('refuses a published port outside 1-65535 in an App', async () => {
    const ds = await validateFiles({ 'a.yaml': app('ports:', '  - "8080:3000"', '  - "70000:80"') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'a.yaml', line: 6, words: ['ports[1]', '1-65535'] }]);
  });
});

describe('every diagnostic', () => {
  it('carries the file relative to the source root and a line, for problems of every phase', async () => {
    // The harness asserts file and line on every diagnostic; this source has one of each phase.
    const ds = await validateFiles(
      {
        'a/syntax.yaml': yaml('kind: App', 'env:', '\tA: "1"'),
        'b/schema.yaml': app('replicas: -1'),
        'c/refs.yaml': yaml('kind: Monitor', 'name: up', 'docker: {app: nope}'),
        'd/interp.yaml': yaml('kind: App', 'name: api', 'image: "${env:NOT_SET}"'),
      },
      { envAllow: ['NOT_SET'] },
    );
    expect(ds.map((d) => `${d.file}:${d.line}:${d.code}`)).toEqual([
      'a/syntax.yaml:3:yaml-syntax',
      'b/schema.yaml:4:invalid-field',
      'c/refs.yaml:3:unknown-reference',
      'd/interp.yaml:3:missing-env',
    ]);
  });
});
