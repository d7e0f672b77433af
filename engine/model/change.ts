/**
 * One change of a plan, as data: what happens to a resource and which fields differ. The kinds
 * produce and execute these, the plan orders them, apply runs them; the plan around them is in
 * plan/types.ts.
 */
import type { Kind, ResourceKey } from './resource.js';

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
