/**
 * What `ploy doctor` learns of the store without changing it: no migration runs, and an
 * embedded store that does not exist yet is not created.
 */
export interface StoreInspection {
  /** False when the embedded store has not been created yet (the first command that opens it does). */
  exists: boolean;
  /** The database server, e.g. `PostgreSQL 15.6` (absent when the store does not exist). */
  server?: string;
  /** The store's clock (`select now()`), to compare with this machine's. */
  now?: Date;
  /** Migrations this version would apply on the next open, as `id name`. */
  pending: string[];
  /** Migration ids applied by a newer Ploy that this version does not know. */
  unknown: number[];
}
