import { type Store, StoreUnavailableError } from '../../ports/store.js';
import { migrate } from './migrations.js';
import { discardStoreThread, openPgliteDriver } from './pglite-driver.js';
import type { SqlDriver } from './sql-driver.js';
import { isConnectionFault, unavailable } from './store-errors.js';

/** Where the store lives: the `store.url` setting (`embedded` or a PostgreSQL URL). */
export interface OpenStoreOptions {
  /** Directory of the embedded store (PGlite), used when the url is `embedded`. */
  embeddedDir: string;
  /**
   * The store is held for one CLI command (about a second), not by the running engine: the
   * embedded store then starts with a smaller buffer pool, which is quicker to set up.
   */
  brief?: boolean;
  /**
   * Told when opening changed something the operator should know of: an embedded store an
   * earlier Ploy left readable by other users was made private.
   */
  onNotice?: (message: string) => void;
}

/**
 * Opens the store named by `url` and brings its schema up to date: `embedded` is PGlite in
 * `opts.embeddedDir` (created if missing), `postgres://` / `postgresql://` is PostgreSQL.
 * Faults of reaching or opening it throw StoreUnavailableError (StoreInUseError when another
 * process holds the embedded store); their messages never contain the URL's password.
 */
export async function openStore(url: string, opts: OpenStoreOptions): Promise<Store> {
  // The driver first: the embedded store's thread starts on this call, before anything awaits.
  const driver = openDriver(url, opts);
  driver.catch(() => undefined); // awaited below; not unhandled while the store's code loads
  const { SqlStore } = await import('./sql-store.js');
  return new SqlStore(await driver);
}

/** Like openStore, but returns the migrated SqlDriver itself, for code that needs raw SQL. */
export async function openDriver(url: string, opts: OpenStoreOptions): Promise<SqlDriver> {
  // PGlite loads on the embedded store's own thread, started synchronously by this call (so a
  // CLI command's own work overlaps all of its start); postgres.js loads only when a
  // PostgreSQL store is used.
  if (url === 'embedded') {
    const driver = await openPgliteDriver(opts.embeddedDir, { brief: opts.brief, onNotice: opts.onNotice });
    return migrated(driver, (err) => {
      const reason = err instanceof Error ? err.message : String(err);
      return new StoreUnavailableError(`the embedded store at ${opts.embeddedDir} could not be migrated: ${reason}`, {
        cause: err,
      });
    });
  }
  // Not the embedded store: a thread started for it in advance is not needed.
  discardStoreThread();
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { createPostgresDriver } = await import('./postgres-driver.js');
    let driver: SqlDriver;
    try {
      driver = createPostgresDriver(url);
    } catch (err) {
      // postgres.js throws synchronously on a malformed URL.
      throw unavailable(url, err);
    }
    return migrated(driver, (err) => (isConnectionFault(err) ? unavailable(url, err) : err));
  }
  // Not echoing the value: a mistyped URL may still carry a password.
  throw new StoreUnavailableError(`the store url must be 'embedded' or a postgres:// URL`);
}

async function migrated(driver: SqlDriver, wrap: (err: unknown) => unknown): Promise<SqlDriver> {
  try {
    await migrate(driver);
    return driver;
  } catch (err) {
    await driver.close().catch(() => {});
    throw err instanceof StoreUnavailableError ? err : wrap(err);
  }
}
