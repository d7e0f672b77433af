import type { Secretish } from '../config/types.js';
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
  /** Query limits; the defaults fit the dashboards in examples/graphql/. */
  limits?: Partial<QueryLimits>;
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
  /** Deepest selection nesting allowed. */
  depth: number;
  /** Highest cost: each field costs 1, and a connection multiplies its selection by `first`/`last`. */
  complexity: number;
  /** Most fields selected in one query. */
  breadth: number;
}

export const DEFAULT_LIMITS: QueryLimits = { depth: 12, complexity: 250_000, breadth: 300 };
