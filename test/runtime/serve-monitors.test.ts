import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStoreWithReadModel } from '../../engine/adapters/store/open-read-model.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { pushToken } from '../../engine/runtime/monitors/push-token.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { makeDir, ploy, seedEmbeddedStore, writeFiles } from '../support/cli.js';

const hooks: Array<{ path: string; auth?: string; body: Record<string, unknown> }> = [];
let appStatus = 200;
let base: string;
let receiver: http.Server;
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.url === '/app') return res.writeHead(appStatus).end();
      hooks.push({ path: req.url!, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : {} });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // Creates the store template once (initdb), so no single test pays for it.
  await seedEmbeddedStore(join(await makeDir({}), '.ploy'));
});
afterAll(() => new Promise((r) => receiver.close(r)));

const files = () => ({
  'ploy.config.yaml':
    'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\napi: {listen: "127.0.0.1:4999"}\n',
  'secrets/HOOK_TOKEN': 'hook-s3cret-value\n',
  'repo/channels.yaml': `kind: Notification
name: ops
webhook: {url: "${base}/hook", headers: {Authorization: "Bearer \${secret:HOOK_TOKEN}"}}
default: true
`,
  'repo/monitors.yaml': `kind: Monitor
name: app
http: {url: "${base}/app"}
interval: 1s
timeout: 1s
failureThreshold: 2
successThreshold: 1
conditions: ["[STATUS] == 200"]
---
kind: Monitor
name: nightly
push: {grace: 1h}
`,
});

let running: { engine: RunningEngine; store: Store } | undefined;
afterEach(async () => {
  await running?.engine.stop();
  await running?.store.close();
  running = undefined;
});

async function serve(cwd: string) {
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  // With the read model, as `ploy serve` runs: /metrics is served from it.
  const { store, readModel } = await openStoreWithReadModel('embedded', { embeddedDir: join(cwd, '.ploy') });
  const engine = await startEngine(config!, {
    store,
    readModel,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'test',
    notificationRetry: { attempts: 2, baseMs: 50 },
  });
  running = { engine, store };
  return { engine, store, port: (engine.server.address() as AddressInfo).port };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('ploy serve with monitors and notifications', () => {
  it('checks applied monitors on their interval and delivers monitor.down and monitor.up to the channel, secret header included', async () => {
    hooks.length = 0;
    appStatus = 200;
    const cwd = await makeDir(files());
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const { engine, store, port } = await serve(cwd);
    expect(engine.monitors.names().sort()).toEqual(['app', 'nightly']);
    await until('the first check', () => engine.monitors.state('app')?.state === 'up');
    appStatus = 503;
    await until('monitor.down delivered', () => hooks.some((h) => h.body.event === 'monitor.down'));
    const down = hooks.find((h) => h.body.event === 'monitor.down')!;
    expect(down.auth).toBe('Bearer hook-s3cret-value');
    expect(down.body).toMatchObject({
      title: 'Monitor app is DOWN',
      resource: 'Monitor/app',
      details: ['✗ [STATUS] (503) == 200'],
    });
    appStatus = 200;
    await until('monitor.up delivered', () => hooks.some((h) => h.body.event === 'monitor.up'));
    await engine.notifications.idle();
    const rows = await store.listDeliveries({ notification: 'ops' });
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^ploy_monitor_checks_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^ploy_monitor_schedule_lag_seconds\{quantile="0.99"\} [\d.e-]+$/m);
    expect(metrics).toContain('ploy_monitor_up{monitor="app"} 1');

    // The push endpoint: a wrong token and an unknown monitor look alike; the right token is taken.
    const push = (q: string) => fetch(`http://127.0.0.1:${port}/push/${q}`);
    expect((await push('nightly?token=nope')).status).toBe(404);
    expect((await push('nobody?token=nope')).status).toBe(404);
    const token = pushToken(await store.secretKey(), 'nightly');
    expect((await push(`nightly?token=${token}`)).status).toBe(200);
    expect(engine.monitors.state('nightly')?.lastPushAt).toBeInstanceOf(Date);
  });

  it('delivers sync.failed of a bad commit to the default channel, and follows monitors removed from the source', async () => {
    hooks.length = 0;
    const cwd = await makeDir(files());
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const { engine } = await serve(cwd);
    await writeFiles(cwd, { 'repo/monitors.yaml': 'kind: Monitor\nname: app\nhttp: {url: "not a url"}\n' });
    await until('sync.failed delivered', () => hooks.some((h) => h.body.event === 'sync.failed'));
    expect(hooks.find((h) => h.body.event === 'sync.failed')!.body.title).toMatch(/^revision \w+ is invalid \(1 error\)/);
    expect(engine.monitors.names().sort()).toEqual(['app', 'nightly']);
    await writeFiles(cwd, { 'repo/monitors.yaml': files()['repo/monitors.yaml'].split('---')[1] });
    await until('app removed', () => engine.monitors.names().join() === 'nightly');
  });
});

describe('the monitor and notification commands', () => {
  it("ploy monitors push-urls prints each push monitor's URL with its token; ploy notify test sends through a channel", async () => {
    hooks.length = 0;
    const cwd = await makeDir(files());
    await seedEmbeddedStore(join(cwd, '.ploy'));
    expect((await ploy(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
    const token = pushToken(await store.secretKey(), 'nightly');
    await store.close();
    const urls = await ploy(['monitors', 'push-urls'], { cwd });
    expect(urls).toMatchObject({ code: 0, stdout: `nightly  http://127.0.0.1:4999/push/nightly?token=${token}\n` });
    const public_ = await ploy(['monitors', 'push-urls', '--base-url', 'https://ploy.example.com/'], { cwd });
    expect(public_.stdout).toBe(`nightly  https://ploy.example.com/push/nightly?token=${token}\n`);

    const sent = await ploy(['notify', 'test', 'ops'], { cwd });
    expect(sent).toMatchObject({ code: 0, stdout: '✓ Test message delivered to ops (webhook).\n' });
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      auth: 'Bearer hook-s3cret-value',
      body: { event: 'test', title: 'Test message from Ploy to ops' },
    });
    const missing = await ploy(['notify', 'test', 'opz'], { cwd });
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/^Error: No Notification named "opz" in the source\. Did you mean "ops"\?/);
  });

  it('ploy notify test reports a failing channel without its secret', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const cwd = await makeDir({
      ...files(),
      'repo/channels.yaml': `kind: Notification\nname: ops\nslack: {webhookUrl: "http://127.0.0.1:${port}/services/\${secret:HOOK_TOKEN}"}\n`,
    });
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const sent = await ploy(['notify', 'test', 'ops'], { cwd });
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(
      /^✗ Test message to ops \(slack\) failed after 3 attempt\(s\): cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
    expect(sent.stderr + sent.stdout).not.toContain('hook-s3cret-value');
  });
});
