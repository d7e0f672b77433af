import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { StoreUnavailableError } from '../../ports/store.js';
import { lockDir } from './dir-lock.js';
import type { SqlDriver } from './sql-driver.js';
import { normalizeParams, withSavepoint } from './sql-driver.js';

/**
 * Memory: PGlite's WASM heap starts at 128 MiB, which is also the least its module accepts
 * (a smaller `initialMemory` fails to link). What matters is postgres' shared_buffers, 128MB by
 * default: it does not fit that heap, so the heap grows (about 280 MB resident after open).
 * The engine's tables are small; 16MB of buffers brings an open store to about 170 MB.
 * The rest of PGlite's default start parameters are kept as they are.
 */
const PGLITE_OPTIONS = {
  initialMemory: 128 * 1024 * 1024,
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};

/**
 * Opens PGlite on `<dir>/pgdata` (creating `dir` if missing) behind `<dir>/store.lock`, because
 * two processes writing one PGlite data dir corrupt it. Throws StoreInUseError when another
 * process holds it, StoreUnavailableError when PGlite cannot open it.
 */
export async function openPgliteDriver(dir: string): Promise<SqlDriver> {
  fs.mkdirSync(dir, { recursive: true });
  const lock = lockDir(dir);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: path.join(dir, 'pgdata'), ...PGLITE_OPTIONS });
  } catch (err) {
    lock.release();
    const reason = err instanceof Error ? err.message : String(err);
    throw new StoreUnavailableError(`the embedded store at ${dir} could not be opened: ${reason}`, {
      cause: err,
    });
  }
  let closed = false;
  return {
    async query<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await db.query<T>(text, normalizeParams(params))).rows;
    },
    async exec(text: string): Promise<void> {
      await db.exec(text);
    },
    transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(wrapTx(tx)));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

// Inside a PGlite transaction only the `tx` handle may be used: the PGlite object itself
// waits for the transaction to end, so using it there would deadlock.
function wrapTx(tx: Transaction): SqlDriver {
  const driver: SqlDriver = {
    async query<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await tx.query<T>(text, normalizeParams(params))).rows;
    },
    async exec(text: string): Promise<void> {
      await tx.exec(text);
    },
    transaction: <T>(fn: (inner: SqlDriver) => Promise<T>) => withSavepoint(driver, fn),
    async close() {},
  };
  return driver;
}
