import type { ApiDeps } from './deps.js';
import type { Loaders } from './loaders.js';
import { createLoaders } from './loaders.js';

/** What every resolver gets: the API's dependencies, this request's loaders, and its "now". */
export interface ApiContext {
  deps: ApiDeps;
  loaders: Loaders;
  /** One instant per request, so every window in one answer ends at the same moment. */
  now: Date;
}

export const createContext = (deps: ApiDeps): ApiContext => ({
  deps,
  loaders: createLoaders(deps.store, deps.readModel),
  now: deps.clock.now(),
});
