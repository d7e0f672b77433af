/**
 * The plan is data only: nothing here does I/O, and nothing imports apply/ or render/. One JSON
 * form of it (`PlanDocument`) is what the store keeps, GraphQL returns, `--format json` prints
 * and golden tests compare.
 */
import type { Kind, ResourceKey } from '../kinds/resource.js';
import type { Diagnostic } from '../validate/diagnostic.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** One field that differs. Paths are dotted with list indexes in brackets: `env.TOKEN`, `ports[0]`. */
export interface FieldDiff {
  path: string;
  /** Absent when the field is new. Sensitive values are `{"$sensitive": digest}`, never the value. */
  before?: unknown;
  /** Absent when the field is removed. */
  after?: unknown;
  sensitive?: boolean;
}

/** A Docker object an app change touches, listed inside that change. */
export interface TouchedObject {
  type: 'container' | 'network' | 'volume';
  name: string;
  action: 'create' | 'replace' | 'delete' | 'keep' | 'start' | 'stop';
}

/** `reason` and `strategy` explain to people; apply never branches on them. */
export interface Change {
  action: Action;
  key: ResourceKey;
  kind: Kind;
  name: string;
  /** Position in execution order; deletes run after everything else, in reverse dependency order. */
  order: number;
  /** The redacted, defaulted spec before and after. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Hash of `after`: what apply records as applied, and what a container's label carries. */
  afterHash?: string;
  diffs: FieldDiff[];
  reason?: string;
  /** App updates: the rollout order chosen and why. */
  strategy?: { order: 'start-first' | 'stop-first'; why: string };
  /** Docker objects this change touches. */
  objects?: TouchedObject[];
  /** Jobs created or changed: their next scheduled times (RFC 3339, UTC), for people to check. */
  nextRuns?: string[];
  /** Where the resource is declared (absent for deletes). */
  file?: string;
  line?: number;
}

/** A resource the plan leaves alone on purpose, and why (protected, prune off, empty source). */
export interface Kept {
  kind: Kind;
  name: string;
  reason: string;
}

/** What the plan was computed from; `ploy apply PLANFILE` refuses when either has moved. */
export interface PlanBasis {
  /** The source revision (commit SHA or content hash). */
  revision: string;
  /** Hash of the actual state. */
  actualHash: string;
  /** Present when the plan compared against last-applied state because live state was not observed. */
  unobserved?: Kind[];
}

export interface Plan {
  basis: PlanBasis;
  changes: Change[];
  kept: Kept[];
  diagnostics: Diagnostic[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

/** The versioned JSON form (FORMAT.md): no-ops left out. */
export interface PlanDocument {
  formatVersion: 1;
  revision: string;
  actualHash: string;
  unobserved?: Kind[];
  summary: PlanSummary;
  changes: Array<Omit<Change, 'key'> & { action: Exclude<Action, 'noop'> }>;
  kept: Kept[];
  diagnostics: Array<Pick<Diagnostic, 'severity' | 'code' | 'message' | 'file' | 'line' | 'column'>>;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) if (c.action !== 'noop') s[c.action]++;
  return s;
}

export const hasChanges = (plan: Plan) => plan.changes.some((c) => c.action !== 'noop');
