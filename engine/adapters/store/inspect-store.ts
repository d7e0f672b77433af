import fs from 'node:fs';
import path from 'node:path';
import { StoreUnavailableError } from '../../ports/store.js';
import type { StoreInspection } from '../../ports/store-inspection.js';
import { MIGRATIONS } from './migrations.js';
import { discardStoreThread, openPgliteDriver } from './pglite-driver.js';
import type { SqlDriver } from './sql-driver.js';
import { unavailable } from './store-errors.js';

/**
 * Looks at the store named by `url` without migrating it (`ploy doctor`): whether it exists,
 * its server and clock, and which migrations are pending. An embedded store that does not exist
 * is not created. Throws what openStore throws when it cannot be reached (StoreUnavailableError,
 * StoreInUseError for an embedded store a running `ploy serve` holds).
 */
export async function inspectStore(
  url: string,
  opts: { embeddedDir: string; connectTimeoutSeconds?: number },
): Promise<StoreInspection> {
  let driver: SqlDriver;
  if (url === 'embedded') {
    if (!fs.existsSync(path.join(opts.embeddedDir, 'pgdata', 'PG_VERSION'))) {
      discardStoreThread();
      return { exists: false, pending: MIGRATIONS.map((m) => `${m.id} ${m.name}`), unknown: [] };
    }
    driver = await openPgliteDriver(opts.embeddedDir, { brief: true });
  } else if (/^postgres(ql)?:\/\//i.test(url)) {
    discardStoreThread();
    const { createPostgresDriver } = await import('./postgres-driver.js');
    try {
      driver = createPostgresDriver(url, { max: 1, connectTimeout: opts.connectTimeoutSeconds ?? 3 });
    } catch (err) {
      throw unavailable(url, err);
    }
  } else {
    throw new StoreUnavailableError(`the store url must be 'embedded' or a postgres:// URL`);
  }
  try {
    const [row] = await driver.query<{ now: Date; version: string }>(
      `select now() as now, current_setting('server_version') as version`,
    );
    const [table] = await driver.query<{ ok: boolean }>(`select to_regclass('schema_migrations') is not null as ok`);
    const done = new Set<number>();
    if (table?.ok) for (const r of await driver.query<{ id: number }>('select id from schema_migrations')) done.add(Number(r.id));
    const known = new Set(MIGRATIONS.map((m) => m.id));
    return {
      exists: true,
      server: `${url === 'embedded' ? 'PGlite, PostgreSQL' : 'PostgreSQL'} ${row.version}`,
      now: new Date(row.now),
      pending: MIGRATIONS.filter((m) => !done.has(m.id)).map((m) => `${m.id} ${m.name}`),
      unknown: [...done].filter((id) => !known.has(id)).sort((a, b) => a - b),
    };
  } finally {
    await driver.close().catch(() => undefined);
  }
}
