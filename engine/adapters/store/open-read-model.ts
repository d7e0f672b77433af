import type { ReadModel } from '../../ports/read-model.js';
import type { Store } from '../../ports/store.js';
import { openDriver, type OpenStoreOptions } from './open-store.js';
import { sqlReadModel } from './read/index.js';
import { SqlStore } from './sql-store.js';

/**
 * Opens the store and its read model over one driver (one pool, one embedded data dir):
 * what `ploy serve` needs for the API. Closing the store closes both.
 */
export async function openStoreWithReadModel(
  url: string,
  opts: OpenStoreOptions,
): Promise<{ store: Store; readModel: ReadModel }> {
  const driver = await openDriver(url, opts);
  return { store: new SqlStore(driver), readModel: sqlReadModel(driver) };
}
