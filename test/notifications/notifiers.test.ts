import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { Sensitive } from '../../engine/model/sensitive.js';
import type { EventRecord, Store } from '../../engine/ports/store.js';
import type { LiveSpec } from '../../engine/runtime/live-specs.js';
import { routingFrom } from '../../engine/runtime/notifications/channels.js';
import { NotificationDispatcher } from '../../engine/runtime/notifications/dispatcher.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';
import { FakeClock } from '../support/fake-clock.js';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}
const received: Received[] = [];
let flaky = 0;
let base: string;
let server: http.Server;
const mails: Array<{ from: string; to: string[]; raw: string; user?: string }> = [];
let smtp: SMTPServer;
let smtpPort: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* not JSON */
      }
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      if (req.url!.startsWith('/broken')) return res.writeHead(500).end('internal trouble');
      if (req.url!.startsWith('/gone')) return res.writeHead(404).end('no such hook');
      if (req.url!.startsWith('/flaky') && flaky++ < 2) return res.writeHead(503).end();
      if (req.url!.startsWith('/slow')) return setTimeout(() => res.end('ok'), 1500);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'ploy' && auth.password === 'smtp-pass-123') return cb(null, { user: 'ploy' });
      cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c) => (raw += c));
      stream.on('end', () => {
        mails.push({
          from: (session.envelope.mailFrom as { address: string }).address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise<void>((r) => smtp.close(() => r()));
});

// One store for the file (opening PGlite costs about a second); each test has its own
// channel names and events, and reads deliveries by them.
let store: Store;
beforeAll(async () => {
  const dir = join(await makeDir({}), '.ploy');
  await seedEmbeddedStore(dir);
  store = await openStore('embedded', { embeddedDir: dir });
});
afterAll(() => store.close());

let clock: FakeClock;
let dispatcher: NotificationDispatcher;
let eventsBefore = 0;
beforeEach(async () => {
  received.length = 0;
  mails.length = 0;
  flaky = 0;
  clock = new FakeClock(new Date('2026-03-01T12:00:00Z'), true);
  dispatcher = new NotificationDispatcher({ store, clock, log: pino({ level: 'silent' }), retry: { attempts: 3, baseMs: 1000 } });
  eventsBefore = (await store.listEvents({ limit: 1 }))[0]?.id ?? 0;
  return () => dispatcher.stop();
});
/** The deliveries of this test's events. */
const deliveries = async () =>
  (await store.listDeliveries({ limit: 1000 })).filter((d) => d.eventId === null || d.eventId > eventsBefore);

/** Decodes a quoted-printable mail body. */
const unQP = (raw: string) =>
  Buffer.from(
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const secret = (value: string, name = 'S') => new Sensitive(value, `\${secret:${name}}`, [name]);
const channel = (name: string, spec: Record<string, unknown>): LiveSpec => ({ kind: 'Notification', name, spec, specHash: 'h' });
const monitorSpec = (name: string, notify?: string[]): LiveSpec => ({
  kind: 'Monitor',
  name,
  spec: { http: { url: 'http://x' }, ...(notify ? { notify } : {}) },
  specHash: 'h',
});

async function downEvent(resource = 'Monitor/api'): Promise<EventRecord> {
  return store.recordEvent({
    type: 'monitor.down',
    resource,
    message: 'Monitor api is DOWN: [STATUS] (503) == 200',
    data: {
      monitor: 'api',
      since: '2026-03-01T11:58:00.000Z',
      kind: 'change',
      failing: ['[STATUS] (503) == 200'],
      error: '[STATUS] (503) == 200',
    },
    at: new Date('2026-03-01T12:00:00Z'),
  });
}

describe('notification providers against stand-in endpoints', () => {
  it('sends Slack, Discord, Teams, Telegram, ntfy, Gotify and webhook payloads exactly', async () => {
    dispatcher.setRouting(
      routingFrom([
        monitorSpec('api', ['slack', 'discord', 'teams', 'telegram', 'ntfy', 'gotify', 'hook', 'templated']),
        channel('slack', { slack: { webhookUrl: secret(`${base}/slack/T000/B000/XXXX`) } }),
        channel('discord', { discord: { webhookUrl: `${base}/discord/123/abc` } }),
        channel('teams', { teams: { webhookUrl: `${base}/teams` } }),
        channel('telegram', { telegram: { botToken: secret('123:ABC'), chatId: -1001, apiUrl: `${base}/tg` } }),
        channel('ntfy', { ntfy: { url: `${base}/ntfy`, topic: 'ops', token: secret('tk_ntfy') } }),
        channel('gotify', { gotify: { url: `${base}/gotify`, token: secret('gotify-app-token') } }),
        channel('hook', { webhook: { url: `${base}/hook`, method: 'PUT', headers: { 'X-Team': 'ops' } } }),
        channel('templated', { webhook: { url: `${base}/tpl`, template: '{"msg": "{{title}}", "why": "{{details}}"}' } }),
      ]),
    );
    dispatcher.dispatch(await downEvent());
    await dispatcher.idle();
    const by = (prefix: string) => received.find((r) => r.path.startsWith(prefix))!;
    const title = 'Monitor api is DOWN';
    const text = 'Monitor api is DOWN: [STATUS] (503) == 200';
    expect(by('/slack/T000/B000/XXXX').body).toEqual({
      text: `🔴 ${title}`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `*🔴 ${title}*\n${text}\nSince 2026-03-01T11:58:00.000Z\n\`\`\`✗ [STATUS] (503) == 200\`\`\``,
          },
        },
      ],
    });
    expect(by('/discord/123/abc').body).toEqual({
      username: 'Ploy',
      embeds: [
        {
          title: `🔴 ${title}`,
          description: `${text}\n\`\`\`\n✗ [STATUS] (503) == 200\n\`\`\``,
          color: 0xd93025,
          timestamp: '2026-03-01T12:00:00.000Z',
          fields: [{ name: 'Since', value: '2026-03-01T11:58:00.000Z', inline: true }],
        },
      ],
    });
    expect((by('/teams').body as { attachments: Array<{ content: { body: unknown[] } }> }).attachments[0].content.body).toEqual([
      { type: 'TextBlock', text: `🔴 ${title}`, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text, wrap: true },
      { type: 'TextBlock', text: 'Since 2026-03-01T11:58:00.000Z', isSubtle: true, wrap: true },
      { type: 'TextBlock', text: '✗ [STATUS] (503) == 200', fontType: 'Monospace', wrap: true },
    ]);
    const tg = by('/tg/bot123:ABC/sendMessage');
    expect(tg.body).toEqual({
      chat_id: -1001,
      text: `🔴 ${title}\n${text}\nSince: 2026-03-01T11:58:00.000Z\n\n✗ [STATUS] (503) == 200`,
      disable_web_page_preview: true,
    });
    const nt = by('/ntfy/');
    expect(nt.headers.authorization).toBe('Bearer tk_ntfy');
    expect(nt.body).toEqual({
      topic: 'ops',
      title,
      message: `${text}\nSince: 2026-03-01T11:58:00.000Z\n\n✗ [STATUS] (503) == 200`,
      priority: 5,
      tags: ['rotating_light'],
    });
    const go = by('/gotify/message');
    expect(go.headers['x-gotify-key']).toBe('gotify-app-token');
    expect(go.body).toMatchObject({ title, priority: 8 });
    const hook = by('/hook');
    expect(hook.method).toBe('PUT');
    expect(hook.headers['x-team']).toBe('ops');
    expect(hook.body).toEqual({
      event: 'monitor.down',
      title,
      message: text,
      resource: 'Monitor/api',
      at: '2026-03-01T12:00:00.000Z',
      since: '2026-03-01T11:58:00.000Z',
      severity: 'critical',
      details: ['✗ [STATUS] (503) == 200'],
      data: expect.objectContaining({ monitor: 'api', failing: ['[STATUS] (503) == 200'] }),
    });
    expect(by('/tpl').body).toEqual({ msg: title, why: '✗ [STATUS] (503) == 200' });
    const rows = await deliveries();
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('triggers a PagerDuty incident on down and resolves the same one on up', async () => {
    dispatcher.setRouting(
      routingFrom([channel('pd', { pagerduty: { routingKey: secret('R0UTINGKEY'), url: `${base}/pd` }, default: true })]),
    );
    dispatcher.dispatch(await downEvent());
    dispatcher.dispatch(
      await store.recordEvent({
        type: 'monitor.up',
        resource: 'Monitor/api',
        message: 'Monitor api is UP again after 2m down',
        data: { since: '2026-03-01T11:58:00.000Z' },
        at: new Date('2026-03-01T12:02:00Z'),
      }),
    );
    await dispatcher.idle();
    const bodies = received.filter((r) => r.path === '/pd/v2/enqueue').map((r) => r.body);
    expect(bodies).toEqual([
      {
        routing_key: 'R0UTINGKEY',
        event_action: 'trigger',
        dedup_key: 'ploy/Monitor/api',
        payload: {
          summary: 'Monitor api is DOWN',
          source: 'Monitor/api',
          severity: 'critical',
          timestamp: '2026-03-01T12:00:00.000Z',
          custom_details: {
            message: 'Monitor api is DOWN: [STATUS] (503) == 200',
            since: '2026-03-01T11:58:00.000Z',
            details: ['✗ [STATUS] (503) == 200'],
          },
        },
      },
      { routing_key: 'R0UTINGKEY', event_action: 'resolve', dedup_key: 'ploy/Monitor/api' },
    ]);
  });

  it('sends real mail through an SMTP server with login', async () => {
    dispatcher.setRouting(
      routingFrom([
        channel('mail', {
          email: {
            smtp: { host: '127.0.0.1', port: smtpPort, username: 'ploy', password: secret('smtp-pass-123'), secure: false },
            from: 'Ploy <ploy@example.com>',
            to: ['ops@example.com', 'dba@example.com'],
          },
          default: true,
        }),
      ]),
    );
    dispatcher.dispatch(await downEvent());
    await dispatcher.idle();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'ploy@example.com', to: ['ops@example.com', 'dba@example.com'], user: 'ploy' });
    expect(mails[0].raw).toMatch(/^Subject: Monitor api is DOWN\r?$/m);
    expect(unQP(mails[0].raw)).toContain('✗ [STATUS] (503) == 200');
    const [row] = await deliveries();
    expect(row).toMatchObject({ notification: 'mail', status: 'delivered' });
  });

  it('records a failed SMTP login without the password', async () => {
    const d = await dispatcher.sendTest(
      routingFrom([
        channel('mail', {
          email: {
            smtp: { host: '127.0.0.1', port: smtpPort, username: 'ploy', password: secret('wrong-pass-456') },
            from: 'p@example.com',
            to: ['o@example.com'],
          },
        }),
      ]).channels.get('mail')!,
    );
    expect(d.status).toBe('failed');
    expect(d.error).toMatch(/^SMTP 127\.0\.0\.1: EAUTH/);
    expect(d.error).not.toContain('wrong-pass-456');
  });
});

describe('delivery', () => {
  it("routes to a resource's notify channels, else to default channels, filtered by events", async () => {
    dispatcher.setRouting(
      routingFrom([
        monitorSpec('api', ['named']),
        monitorSpec('web'),
        channel('named', { webhook: { url: `${base}/named` } }),
        channel('dflt', { webhook: { url: `${base}/default` }, default: true }),
        channel('jobs-only', { webhook: { url: `${base}/jobs-only` }, default: true, events: ['job.failed'] }),
      ]),
    );
    dispatcher.dispatch(await downEvent('Monitor/api'));
    dispatcher.dispatch(await downEvent('Monitor/web'));
    await dispatcher.idle();
    expect(received.map((r) => r.path).sort()).toEqual(['/default', '/named']);
  });

  it('does not send alerts held back by maintenance or a parent monitor', async () => {
    dispatcher.setRouting(routingFrom([channel('dflt', { webhook: { url: `${base}/default` }, default: true })]));
    dispatcher.dispatch(
      await store.recordEvent({
        type: 'monitor.down',
        resource: 'Monitor/api',
        message: 'down',
        data: { suppressed: 'maintenance' },
        at: clock.now(),
      }),
    );
    await dispatcher.idle();
    expect(received).toEqual([]);
  });

  it('retries with backoff and records every attempt', async () => {
    dispatcher.setRouting(routingFrom([channel('flaky', { webhook: { url: `${base}/flaky` }, default: true })]));
    const event = await downEvent();
    dispatcher.dispatch(event);
    await dispatcher.idle();
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);
    expect(clock.slept).toEqual([1000, 2000]);
    const [row] = await store.listDeliveries({ eventId: event.id });
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, error: null });
  });

  it('gives up after the last attempt, and at once on a client error, with the reason and no secret', async () => {
    dispatcher.setRouting(
      routingFrom([
        channel('broken', { slack: { webhookUrl: secret(`${base}/broken/T1/B1/sekrit-token`) }, default: true }),
        channel('gone', { discord: { webhookUrl: secret(`${base}/gone/9/another-sekrit`) }, default: true }),
      ]),
    );
    dispatcher.dispatch(await downEvent());
    await dispatcher.idle();
    const rows = await deliveries();
    const broken = rows.find((r) => r.notification === 'broken')!;
    const gone = rows.find((r) => r.notification === 'gone')!;
    expect(broken).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: `${new URL(base).host} answered HTTP 500: internal trouble`,
    });
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, error: `${new URL(base).host} answered HTTP 404: no such hook` });
    expect(JSON.stringify(rows)).not.toMatch(/sekrit/);
  });

  it('never lets a slow channel delay another', async () => {
    const real = new NotificationDispatcher({ store, clock, log: pino({ level: 'silent' }) });
    real.setRouting(
      routingFrom([
        channel('slow', { webhook: { url: `${base}/slow` }, default: true }),
        channel('fast', { webhook: { url: `${base}/fast` }, default: true }),
      ]),
    );
    const started = Date.now();
    real.dispatch(await downEvent());
    while (!received.some((r) => r.path === '/fast')) await new Promise((r) => setTimeout(r, 10));
    const fastRow = async () => (await deliveries()).find((d) => d.notification === 'fast')?.status;
    while ((await fastRow()) !== 'delivered') await new Promise((r) => setTimeout(r, 10));
    expect(Date.now() - started).toBeLessThan(1000);
    await real.idle();
    expect((await deliveries()).find((d) => d.notification === 'slow')?.status).toBe('delivered');
  });

  it('resumes deliveries a stop cut short', async () => {
    const event = await downEvent();
    // Earlier tests' unfinished rows would resume too; they are all finished by now.
    const d = await store.startDelivery({ notification: 'dflt', eventId: event.id, at: clock.now() });
    await store.updateDelivery(d.id, { status: 'retrying', attempts: 1, error: 'HTTP 503' });
    dispatcher.setRouting(routingFrom([channel('dflt', { webhook: { url: `${base}/default` }, default: true })]));
    await dispatcher.resume();
    await dispatcher.idle();
    expect(received.map((r) => r.path)).toEqual(['/default']);
    expect((await store.listDeliveries({ eventId: event.id }))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
