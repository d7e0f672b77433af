import { hostname } from 'node:os';
import postgres from 'postgres';
import type { SqlDriver } from './sql-driver.js';
import { normalizeParams } from './sql-driver.js';
import { isConnectionFault, unavailable } from './store-errors.js';

/** Options of the PostgreSQL driver. */
export interface PostgresDriverOptions {
  /** Pool size. A few suffice: the engine's writes are small and mostly sequential. */
  max?: number;
  /** Seconds to wait for a connection before the store counts as unavailable. */
  connectTimeout?: number;
}

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * A SqlDriver over postgres.js. Dates come back as `Date` and jsonb parsed (postgres.js's
 * defaults); bigint comes back as a string. Connection faults surface as
 * StoreUnavailableError with the password redacted.
 */
export function createPostgresDriver(url: string, opts: PostgresDriverOptions = {}): SqlDriver {
  const sql = postgres(url, {
    max: opts.max ?? 4,
    connect_timeout: opts.connectTimeout ?? 10,
    idle_timeout: 60,
    // postgres.js waits up to 20 s between reconnects after repeated failures (3^n / 100 s):
    // after a 30 s outage the engine would stay blind to the store's return for that long.
    // Capped at 1 s, the engine is back within about a second of the store.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Server NOTICEs ("relation already exists, skipping") would otherwise print to stdout,
    // which belongs to the CLI's output.
    onnotice: () => {},
    // JIT compiling pays off for long analytical queries, never for ours: a statement reading
    // 1,000 monitors' recent heartbeats by index (~20 ms) spent ~180 ms compiling, because the
    // planner's row estimate for unnest() of a parameter array is far above the truth.
    // Which instance a session belongs to, in pg_stat_activity (host and pid, as in `leader`).
    connection: { application_name: `ploy ${hostname()}:${process.pid}`.slice(0, 63), jit: 'off' },
  });
  let closed = false;
  const driver = wrap(url, sql, false);
  return {
    ...driver,
    async close() {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}

function wrap(url: string, sql: Sql, inTx: boolean): SqlDriver {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw isConnectionFault(err) ? unavailable(url, err) : err;
    }
  };
  return {
    query<T>(text: string, params?: unknown[]): Promise<T[]> {
      // postgres.js's parameter typings are narrower than what it accepts (Date, null, strings).
      return guard(async () => (await sql.unsafe(text, normalizeParams(params) as never[])) as unknown as T[]);
    },
    exec(text: string): Promise<void> {
      // Without parameters postgres.js uses the simple protocol, which allows several statements.
      return guard(async () => {
        await sql.unsafe(text);
      });
    },
    transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
      const body = (tx: postgres.TransactionSql) => fn(wrap(url, tx, true));
      if (inTx) return guard(() => (sql as postgres.TransactionSql).savepoint(body) as Promise<T>);
      return guard(() => (sql as postgres.Sql).begin(body) as Promise<T>);
    },
    async close() {
      // A transaction handle does not own the pool; the outer driver closes it.
    },
  };
}
