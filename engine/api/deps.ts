import type { ApiLimits } from '../config/api-settings.js';
import type { Secretish } from '../config/types.js';
import type { SecretScrubber } from '../load/secret-scrubber.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { ReadModel } from '../ports/read-model.js';
import type { Store } from '../ports/store.js';
import type { ReconcileResult } from '../runtime/reconciler.js';

/** What the API reads. It changes nothing but may ask for a sync (`requestSync`). */
export interface ApiDeps {
  store: Store;
  readModel: ReadModel;
  clock: Clock;
  version: string;
  /** The engine's live status (undefined fields before the first reconcile). */
  engine: EngineStatusSource;
  /** `api.token`: when set, every GraphQL request and /metrics need `Authorization: Bearer <token>`. */
  token?: Secretish;
  /** How often live subscriptions look for new rows (ms); one shared poll per feed, not per client. */
  livePollMs?: number;
  /** The Docker Engine apps run on: apps' live containers and drift come from it (absent: null). */
  containers?: ContainerRuntime;
  /** Masks known secret values in every answer (the engine's one scrubber); absent: answers as stored. */
  scrubber?: Pick<SecretScrubber, 'scrub'>;
  /** Query limits; the defaults fit the dashboards in examples/graphql/. */
  limits?: Partial<QueryLimits>;
  /** The largest request body `/graphql` reads (bytes); default 100 KiB. */
  maxBodyBytes?: number;
}

export interface EngineStatusSource {
  lastSync(): ReconcileResult | undefined;
  /** Reconcile passes finished since start: a change in it is a sync to report. */
  runs(): number;
  /** Where desired state comes from, e.g. `git https://… @ main`. */
  source: string;
  syncAuto: boolean;
}

export interface QueryLimits {
  /** Lexical tokens a query may have; the parser stops past it. */
  tokens: number;
  /** Aliases written in a query. */
  aliases: number;
  /** Directives written in a query. */
  directives: number;
  /** Deepest selection nesting allowed (introspection not counted). */
  depth: number;
  /** Highest cost: each field costs 1, and a connection multiplies its selection by `first`/`last`. */
  complexity: number;
  /** Most fields selected in one query, fragments expanded. */
  breadth: number;
}

/** The defaults of `api.limits`: GraphiQL's introspection and every query of the UI and examples/graphql/ fit. */
export const DEFAULT_LIMITS: QueryLimits = {
  tokens: 2000,
  aliases: 30,
  directives: 30,
  depth: 12,
  complexity: 250_000,
  breadth: 300,
};

/** `api.limits` of ploy.config.yaml as the API names them. */
export const queryLimitsOf = (l: ApiLimits): QueryLimits => ({
  tokens: l.tokens,
  aliases: l.aliases,
  directives: l.directives,
  depth: l.depth,
  breadth: l.fields,
  complexity: l.cost,
});
