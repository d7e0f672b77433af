import type { ApiDeps } from './deps.js';
import type { LiveFeeds } from './live-feeds.js';
import type { Loaders } from './loaders.js';
import { createLoaders } from './loaders.js';

/** What every resolver gets: the API's dependencies, this request's loaders, and its "now". */
export interface ApiContext {
  deps: ApiDeps;
  loaders: Loaders;
  /** One instant per request, so every window in one answer ends at the same moment. */
  now: Date;
  /** Feeds shared by every subscription of this server. */
  live: LiveFeeds;
}

export const createContext = (deps: ApiDeps, live: LiveFeeds): ApiContext => ({
  deps,
  live,
  loaders: createLoaders(deps.store, deps.readModel, deps.containers),
  now: deps.clock.now(),
});
