/**
 * The little SQL surface the store needs, so one SQL store runs over postgres.js and PGlite.
 * Placeholders are `$1, $2, ...`. JSON goes in as a JSON string cast with `$n::text::jsonb`
 * and comes back parsed. (Not `$n::jsonb`: postgres.js then learns the parameter is jsonb and
 * JSON-encodes the string a second time; PGlite does not, so the two would disagree.)
 * timestamptz comes back as `Date`; bigint columns may come back as string, number or bigint,
 * so callers `Number()` them.
 */
export interface SqlDriver {
  /** Runs one statement with parameters and returns its rows. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   * Inside, use only `tx`; calling `transaction` on `tx` nests with a savepoint.
   */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  /** Closes connections (and, for PGlite, releases the data-dir lock). */
  close(): Promise<void>;
}

/** Turns `undefined` into SQL NULL: neither driver accepts undefined parameters the same way. */
export function normalizeParams(params: unknown[] | undefined): unknown[] {
  return (params ?? []).map((p) => (p === undefined ? null : p));
}

let savepointSeq = 0;

/**
 * Nests a transaction inside an open one with a savepoint, for drivers whose transaction
 * handle cannot begin another transaction.
 */
export async function withSavepoint<T>(tx: SqlDriver, fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
  const name = `ploy_sp_${++savepointSeq}`;
  await tx.exec(`savepoint ${name}`);
  try {
    const result = await fn(tx);
    await tx.exec(`release savepoint ${name}`);
    return result;
  } catch (err) {
    await tx.exec(`rollback to savepoint ${name}`);
    throw err;
  }
}
