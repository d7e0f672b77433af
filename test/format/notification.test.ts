import { describe, expect, it } from 'vitest';
import { expectOnlyErrors, validateFiles, yaml } from './harness.js';

// FORMAT.md, "Notification": the example and its providers, exactly one provider, the event
// names, and `notify` entries that must name a Notification.

const FORMAT_EXAMPLE = yaml(
  'kind: Notification',
  'name: ops-slack',
  'slack: {webhookUrl: "${secret:SLACK_WEBHOOK}"}',
  '# or: webhook: {url, method, headers} | discord: {webhookUrl} | telegram: {botToken, chatId}',
  '#   | email: {smtp: {host, port, username, password, secure}, from, to: [..]} | ntfy: {url, topic}',
  'events: [monitor.down, monitor.up, job.failed, deploy.failed, sync.failed]   # default: all events',
  'default: true                # used wherever a resource names no channel',
);
const EVENTS = [
  'monitor.down',
  'monitor.up',
  'job.failed',
  'job.recovered',
  'job.missed',
  'deploy.succeeded',
  'deploy.failed',
  'sync.failed',
  'drift.detected',
];

const channel = (name: string, ...more: string[]) => yaml('kind: Notification', `name: ${name}`, ...more);

describe('the Notification of FORMAT.md', () => {
  it('is valid with its secret set', async () => {
    expect(
      await validateFiles({ 'n.yaml': FORMAT_EXAMPLE }, { secrets: { SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/x' } }),
    ).toEqual([]);
  });

  it('has valid alternatives for every provider', async () => {
    const ds = await validateFiles(
      {
        'n.yaml': [
          channel(
            'hook',
            'webhook: {url: "https://example.com/hook", method: PUT, headers: {Authorization: "Bearer ${secret:HOOK_TOKEN}"}}',
          ),
          channel('discord', 'discord: {webhookUrl: "https://discord.com/api/webhooks/1/x"}'),
          channel('telegram', 'telegram: {botToken: "${secret:TG_TOKEN}", chatId: -1001234567890}'),
          channel('telegram-channel', 'telegram: {botToken: "${secret:TG_TOKEN}", chatId: "@ops"}'),
          channel(
            'mail',
            'email:',
            '  smtp: {host: smtp.example.com, port: 465, username: ploy, password: "${secret:SMTP_PASSWORD}", secure: true}',
            '  from: Ploy <ploy@example.com>',
            '  to: [ops@example.com, dba@example.com]',
          ),
          channel('ntfy', 'ntfy: {url: "https://ntfy.example.com", topic: ops}'),
          // Providers and fields Ploy adds to FORMAT.md's list.
          channel('teams', 'teams: {webhookUrl: "https://example.webhook.office.com/x"}'),
          channel('gotify', 'gotify: {url: "https://gotify.example.com", token: "${secret:HOOK_TOKEN}", priority: 7}'),
          channel('pager', 'pagerduty: {routingKey: "${secret:HOOK_TOKEN}"}'),
          channel('tpl', 'webhook: {url: "https://example.com/x", template: \'{"text": "{{title}}"}\'}'),
          channel('tg-local', 'telegram: {botToken: t, chatId: 1, apiUrl: "http://127.0.0.1:8081"}'),
        ].join('---\n'),
      },
      { env: { PLOY_SECRET_HOOK_TOKEN: 'h', PLOY_SECRET_TG_TOKEN: 't', PLOY_SECRET_SMTP_PASSWORD: 'p' } },
    );
    expect(ds).toEqual([]);
  });
});

describe('providers', () => {
  it('needs exactly one provider, and says which ones there are', async () => {
    const ds = await validateFiles({ 'n.yaml': channel('ops', 'events: [monitor.down]') });
    expectOnlyErrors(ds, [
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
  });

  it('refuses two providers in one channel, at the one written last', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops', 'ntfy: {topic: ops}', 'default: true', 'webhook: {url: "https://example.com"}'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-field',
        file: 'n.yaml',
        line: 5,
        words: ['Notification ops', 'webhook and ntfy', 'exactly one provider'],
      },
    ]);
  });

  it('needs the fields of the provider it has', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops', 'email:', '  smtp: {host: smtp.example.com}', '  from: ploy@example.com'),
    });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'n.yaml', line: 3, words: ['"to"', 'email'] }]);
  });

  it('refuses a webhook url that is not absolute', async () => {
    const ds = await validateFiles({ 'n.yaml': channel('ops', 'slack:', '  webhookUrl: hooks.slack.com/x') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'n.yaml', line: 4, words: ['slack.webhookUrl'] }]);
  });
});

describe('events', () => {
  it('accepts every event name of FORMAT.md', async () => {
    expect(
      await validateFiles({
        'n.yaml': channel('ops', 'ntfy: {topic: ops}', `events: [${EVENTS.join(', ')}]`),
      }),
    ).toEqual([]);
  });

  it('refuses an unknown event name at its entry, listing the events and suggesting the closest', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops', 'ntfy: {topic: ops}', 'events:', '  - monitor.down', '  - deploy.failure'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-event',
        file: 'n.yaml',
        line: 6,
        words: ['"deploy.failure"', 'events[1]', ...EVENTS.map((e) => `"${e}"`), 'Did you mean "deploy.failed"?'],
      },
    ]);
  });

  it('reports each unknown event of a flow list', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops', 'ntfy: {topic: ops}', 'events: [down, monitor.up, up]'),
    });
    expect(ds.map((d) => `${d.code}:${d.line}:${d.message.match(/"[^"]+"/)?.[0]}`)).toEqual([
      'unknown-event:4:"down"',
      'unknown-event:4:"up"',
    ]);
  });

  it('refuses an empty list of events (leave events out for all of them)', async () => {
    const ds = await validateFiles({ 'n.yaml': channel('ops', 'ntfy: {topic: ops}', 'events: []') });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'n.yaml', line: 4, words: ['events'] }]);
  });
});

describe('notify', () => {
  it('refuses a notify entry of a Monitor or a Job naming no Notification, at the entry', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops-slack', 'slack: {webhookUrl: "https://hooks.slack.com/x"}'),
      'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp: {host: db, port: 5432}', 'notify: [ops-slack, pager]'),
      'j.yaml': yaml('kind: Job', 'name: tick', 'schedule: "@daily"', 'shell: {command: "true"}', 'notify:', '  - ops_slack'),
    });
    expectOnlyErrors(ds, [
      { code: 'invalid-name', file: 'j.yaml', line: 6, words: ['notify[0]', '"ops_slack"'] },
      {
        code: 'unknown-reference',
        file: 'm.yaml',
        line: 4,
        words: ['Monitor up', 'Notification "pager"', 'not declared'],
      },
    ]);
  });

  it('accepts notify entries naming declared Notifications', async () => {
    const ds = await validateFiles({
      'n.yaml': [
        channel('ops-slack', 'slack: {webhookUrl: "https://hooks.slack.com/x"}'),
        channel('dba-mail', 'ntfy: {topic: dba}'),
      ].join('---\n'),
      'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp: {host: db, port: 5432}', 'notify: [ops-slack, dba-mail]'),
    });
    expect(ds).toEqual([]);
  });

  it('suggests the closest Notification for a misspelled one', async () => {
    const ds = await validateFiles({
      'n.yaml': channel('ops-slack', 'slack: {webhookUrl: "https://hooks.slack.com/x"}'),
      'm.yaml': yaml('kind: Monitor', 'name: up', 'tcp: {host: db, port: 5432}', 'notify: [ops-slak]'),
    });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'm.yaml', line: 4, words: ['Did you mean "ops-slack"?'] }]);
  });
});
