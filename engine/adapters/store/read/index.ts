import type { ReadModel } from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';
import { historyReads } from './history.js';
import { runtimeReads } from './runtime.js';

/** The ReadModel over the store's SQL (PostgreSQL or PGlite); shares the store's driver. */
export function sqlReadModel(db: SqlDriver): ReadModel {
  return { ...historyReads(db), ...runtimeReads(db) };
}
