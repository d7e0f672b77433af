import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import type { Store } from '../../engine/ports/store.js';
import { seedMonitors, seedRuntime } from '../api/seed.js';

/**
 * The facts the browser tests look for, on top of the API fixture's repo (monitors api and
 * db, job backup, notifications ops and chat): rollups and heartbeats, a failed check with
 * its resolved conditions, deployments of an app `web`, executions, a missed slot, deliveries.
 */
export async function seedWeb(db: SqlDriver, store: Store, now = new Date()): Promise<void> {
  await seedMonitors(db, ['api', 'db'], now);
  await seedRuntime(db, now);
  await db.query(
    `insert into heartbeats (monitor, at, ok, latency_ms, status, conditions, error)
     values ('db', $1, false, null, 'connection refused', $2::text::jsonb, 'dial tcp 127.0.0.1:5433: connection refused')`,
    [
      new Date(now.getTime() - 30_000),
      JSON.stringify([{ condition: '[CONNECTED] == true', success: false, resolved: '[CONNECTED] (false) == true' }]),
    ],
  );
  // An App as the apps runtime records it (that runtime is not on this branch).
  await db.query(
    `insert into applied_resources (kind, name, spec, spec_hash, revision_id, applied_at)
     values ('App', 'web', $1::text::jsonb, 'sha256:b', null, now())`,
    [
      JSON.stringify({
        kind: 'App',
        name: 'web',
        image: 'registry.test/web:2',
        labels: { env: 'prod' },
        env: { TOKEN: { $sensitive: 'hmac-sha256:0123abcd' } },
      }),
    ],
  );
  await store.recordEvent({
    type: 'deploy.failed',
    resource: 'App/web',
    message: 'web: health check failed, rolled back',
    at: new Date(now.getTime() - 29 * 60_000),
  });
}
