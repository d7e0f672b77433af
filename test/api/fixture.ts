import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import { sqlReadModel } from '../../engine/adapters/store/read/index.js';
import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import { SqlStore } from '../../engine/adapters/store/sql-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { ReadModel } from '../../engine/ports/read-model.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { project } from '../cli/fixtures.js';
import { writeFiles } from '../support/cli.js';

/** Secret values the fixture's config uses; no API answer may contain any of them. */
export const SECRETS = {
  HOOK_TOKEN: 'hook-s3cret-4f9a2c',
  SLACK_URL: 'https://hooks.slack.test/T000/B000/xoxb-s3cret-77e1',
  API_TOKEN: 'api-t0ken-91b3',
};

export const FILES: Record<string, string> = {
  // prune off: tests add applied rows (apps, 1,000 monitors) that the source does not declare.
  'ploy.config.yaml':
    'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\nsync: {prune: false}\napi: {token: "${secret:API_TOKEN}"}\n',
  'secrets/HOOK_TOKEN': SECRETS.HOOK_TOKEN,
  'secrets/SLACK_URL': SECRETS.SLACK_URL,
  'secrets/API_TOKEN': SECRETS.API_TOKEN,
  'repo/notifications.yaml': `kind: Notification
name: ops
labels: {env: prod, team: ops}
webhook: {url: "http://127.0.0.1:9/hook", headers: {Authorization: "Bearer \${secret:HOOK_TOKEN}"}}
default: true
---
kind: Notification
name: chat
labels: {env: staging}
slack: {webhookUrl: "\${secret:SLACK_URL}"}
`,
  'repo/monitors.yaml': `kind: Monitor
name: api
labels: {env: prod, tier: web}
tcp: {host: 127.0.0.1, port: 5432}
interval: 30s
---
kind: Monitor
name: db
labels: {env: prod, tier: db}
tcp: {host: 127.0.0.1, port: 5433}
`,
  'repo/jobs.yaml': `kind: Job
name: backup
labels: {env: prod}
schedule: "15 2 * * *"
timezone: Europe/Berlin
shell: {command: "echo backup", env: {TOKEN: "\${secret:HOOK_TOKEN}"}}
`,
};

/** A SqlDriver that counts the statements it runs (to prove a query's cost is bounded). */
export function counting(driver: SqlDriver): SqlDriver & { count: number } {
  const wrapped = {
    count: 0,
    query<T>(text: string, params?: unknown[]) {
      wrapped.count++;
      return driver.query<T>(text, params);
    },
    exec: (text: string) => driver.exec(text),
    transaction: <T>(fn: (tx: SqlDriver) => Promise<T>) => driver.transaction(fn),
    close: () => driver.close(),
  };
  return wrapped;
}

export interface Fixture {
  engine: RunningEngine;
  store: Store;
  readModel: ReadModel;
  db: SqlDriver & { count: number };
  cwd: string;
  url: string;
  /** POSTs a GraphQL operation over real HTTP with the token (or `token: null`: without). */
  gql(query: string, variables?: object, token?: string | null): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

/**
 * A real engine (`startEngine`, as `ploy serve` runs it) over the fixture's repo, applied twice
 * (a second revision changes a secret-bearing header and a schedule), on the embedded store or
 * on PostgreSQL (`storeUrl`).
 */
export async function startFixture(storeUrl?: string, opts: { livePollMs?: number; webRoot?: string } = {}): Promise<Fixture> {
  const cwd = await project(FILES);
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  const db = counting(await openDriver(storeUrl ?? 'embedded', { embeddedDir: join(cwd, '.ploy') }));
  const store = new SqlStore(db);
  const readModel = sqlReadModel(db);
  const engine = await startEngine(config!, {
    store,
    readModel,
    clock: systemClock,
    log: pino({ level: process.env.PLOY_TEST_LOG ?? 'silent' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'test',
    livePollMs: opts.livePollMs ?? 100,
    webRoot: opts.webRoot,
    // The API reads what the tests seed; the runtimes stay idle so that they neither change the
    // seeded facts nor add statements to the counted driver: no monitor check ever comes due,
    // and no instance is elected to schedule jobs. Unelected, the engine follows and does not
    // reconcile on its own: the fixture applies its two revisions by calling the reconciler.
    monitorScheduler: {
      every: () => () => undefined,
      stats: () => ({ started: 0, skipped: 0, lagP50Ms: 0, lagP99Ms: 0, lagMaxMs: 0 }),
    },
    leadership: { start: () => undefined, stop: async () => undefined },
  });
  await engine.reconciler.trigger('startup');
  // A second revision: a sensitive header and a schedule change (an update plan with diffs).
  await writeFiles(cwd, {
    'repo/notifications.yaml': FILES['repo/notifications.yaml'].replace('Bearer ${secret', 'Token ${secret'),
    'repo/jobs.yaml': FILES['repo/jobs.yaml'].replace('15 2', '30 3'),
  });
  await engine.reconciler.trigger('file-change');
  const url = `http://127.0.0.1:${(engine.server.address() as AddressInfo).port}`;
  return {
    engine,
    store,
    readModel,
    db,
    cwd,
    url,
    async gql(query, variables = {}, token = SECRETS.API_TOKEN) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text };
    },
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}
