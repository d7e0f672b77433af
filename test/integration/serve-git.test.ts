import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { gitDriver } from '../../engine/source/git-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { BASIC } from '../cli/fixtures.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';
import { type GitServer, pushFiles, startGitServer } from '../support/git-http-server.js';

const repoFiles = (schedule = '15 2 * * *') => ({
  'ops/notifications.yaml': BASIC['repo/notifications.yaml'],
  'ops/jobs.yaml': BASIC['repo/jobs.yaml'].replace('15 2 * * *', schedule),
  'README.md': 'not a resource',
});

let git: GitServer;
beforeAll(async () => {
  git = await startGitServer({ username: 'ploy', password: 'git-pass' });
});
afterAll(() => git.stop());

const until = async (check: () => Promise<boolean> | boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
};

/** `ploy serve` following a repository of the real smart-HTTP server, with basic auth. */
async function serveRepo(repo: string, interval: string) {
  const cwd = await makeDir({
    'ploy.config.yaml': `source: {git: {url: "${git.url(repo)}", ref: main, dir: ops, interval: ${interval}, auth: {username: ploy, password: "\${secret:GIT_PASSWORD}"}}}\nwebhook: {secret: "\${secret:HOOK}"}\nsecrets: {dir: ./secrets}\n`,
    'secrets/GIT_PASSWORD': 'git-pass',
    'secrets/HOOK': 'hook-secret',
    'secrets/HOOK_TOKEN': 'tok',
  });
  await seedEmbeddedStore(join(cwd, '.ploy'));
  const validators = compileKindValidators();
  const { config, diagnostics } = loadConfig({ cwd, env: {}, validator: validators.config });
  expect(diagnostics).toEqual([]);
  config!.api.listen = '127.0.0.1:0';
  const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
  const source = gitDriver(config as any, { env: {}, validators, clock: systemClock, onError: () => undefined });
  const engine = await startEngine(config!, {
    store,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    source,
    version: 'test',
  });
  return { engine, store, port: (engine.server.address() as AddressInfo).port };
}

const schedule = async (store: Store) => ((await store.listApplied()).find((a) => a.name === 'backup')?.spec as any)?.schedule;

describe('ploy serve following a git repository', () => {
  let running: { engine: RunningEngine; store: Store } | undefined;
  afterAll(async () => {
    await running?.engine.stop();
    await running?.store.close();
  });

  it('converges on pushes, never applies a bad commit, and records who committed what', async () => {
    await git.createRepo('ops-poll');
    const url = git.urlWithCredentials('ops-poll');
    await pushFiles(url, repoFiles(), 'first config', 'main', { name: 'Ada', email: 'ada@example.com' });
    const { engine, store } = await serveRepo('ops-poll', '300ms');
    running = { engine, store };
    expect(await schedule(store)).toBe('15 2 * * *');
    const [first] = await store.listRevisions({ limit: 1 });
    expect(first).toMatchObject({ status: 'applied', author: 'Ada <ada@example.com>', message: 'first config' });

    const bad = await pushFiles(
      url,
      { 'ops/jobs.yaml': 'kind: Job\nname: backup\nschedule: "every tuesday"\nshell: {command: x}\n' },
      'break it',
    );
    await until(async () => (await store.listRevisions({ limit: 1 }))[0].commit === bad);
    const [invalid] = await store.listRevisions({ limit: 1 });
    expect(invalid).toMatchObject({ status: 'invalid', message: 'break it' });
    expect(await schedule(store)).toBe('15 2 * * *');
    expect((await store.listEvents({ type: 'sync.failed' }))[0].message).toContain('the last good revision keeps running');

    const good = await pushFiles(url, repoFiles('0 3 * * *'), 'fix it');
    await until(async () => (await schedule(store)) === '0 3 * * *');
    const [fixed] = await store.listRevisions({ limit: 1 });
    expect(fixed).toMatchObject({ commit: good, status: 'applied', message: 'fix it' });
    const [apply] = await store.listApplies({ limit: 1 });
    expect((await store.getApply(apply.id))?.reason).toMatchObject({
      trigger: 'git-poll',
      files: ['jobs.yaml'],
      changes: [{ kind: 'Job', name: 'backup', fields: ['schedule'] }],
    });
    await engine.stop();
    await store.close();
    running = undefined;
  });

  it('fetches at once on a signed webhook, and ignores a forged one', async () => {
    await git.createRepo('ops-hook');
    const url = git.urlWithCredentials('ops-hook');
    await pushFiles(url, repoFiles(), 'first');
    const { engine, store, port } = await serveRepo('ops-hook', '1h');
    running = { engine, store };
    const next = await pushFiles(url, repoFiles('45 1 * * *'), 'second');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: next });
    const hook = (secret: string) =>
      fetch(`http://127.0.0.1:${port}/hooks/git`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gitea-event': 'push',
          'x-gitea-signature': createHmac('sha256', secret).update(body).digest('hex'),
        },
        body,
      });
    expect((await hook('forged')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await schedule(store)).toBe('15 2 * * *');
    const started = Date.now();
    expect((await hook('hook-secret')).status).toBe(202);
    await until(async () => (await schedule(store)) === '45 1 * * *');
    expect(Date.now() - started).toBeLessThan(5000);
    const [apply] = await store.listApplies({ limit: 1 });
    expect(apply.trigger).toBe('webhook');
  });
});
