/**
 * One change of a plan, as data: what happens to a resource and which fields differ. The kinds
 * produce and execute these, the plan orders them, apply runs them; the plan around them is in
 * plan/types.ts.
 */
import type { Kind, ResourceKey } from './resource.js';

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

/** An app's rollout order, for a replace: which of old and new containers goes first, and why. */
export interface RolloutStrategy {
  order: 'start-first' | 'stop-first';
  why: string;
}

/** A spec as a plan holds it: redacted (secrets are digests) and defaulted. */
type Spec = Record<string, unknown>;

/** What every change carries, whatever its action. */
interface ChangeBase {
  key: ResourceKey;
  kind: Kind;
  name: string;
  /** Position in execution order; deletes run after everything else, in reverse dependency order. */
  order: number;
}

/**
 * A change that leaves a resource with a spec: `after` is what apply records as applied, and
 * `afterHash` (its hash) what a container's label carries. Every action but delete has them.
 */
interface WithSpec extends ChangeBase {
  after: Spec;
  afterHash: string;
  /** Where the resource is declared; absent only for a change made outside the source (a rollback). */
  file?: string;
  line?: number;
}

/** A resource that is not there yet: nothing before it. */
export interface CreateChange extends WithSpec {
  action: 'create';
  before?: never;
  diffs: FieldDiff[];
  reason?: never;
  strategy?: never;
  /** Docker objects this change touches. */
  objects?: TouchedObject[];
  /** Jobs: their next scheduled times (RFC 3339, UTC), for people to check. */
  nextRuns?: string[];
}

/**
 * A resource whose spec changes: in place (`update`) or by a new one (`replace`, an app's
 * containers recreated). `reason` and `strategy` explain to people; apply never branches on them.
 */
interface Changed<A extends 'update' | 'replace'> extends WithSpec {
  action: A;
  before: Spec;
  diffs: FieldDiff[];
  reason: string;
  /** App replaces: the rollout order chosen and why. */
  strategy?: RolloutStrategy;
  /** Docker objects this change touches. */
  objects?: TouchedObject[];
  /** Jobs: their next scheduled times (RFC 3339, UTC), for people to check. */
  nextRuns?: string[];
}
export type UpdateChange = Changed<'update'>;
export type ReplaceChange = Changed<'replace'>;

/** A resource removed from the source (prune): only what it was, nowhere declared. */
export interface DeleteChange extends ChangeBase {
  action: 'delete';
  before: Spec;
  after?: never;
  afterHash?: never;
  diffs: FieldDiff[];
  /** For people; apply never reads it. */
  reason: string;
  strategy?: never;
  /** Docker objects this change touches (an app's volumes are listed as kept). */
  objects?: TouchedObject[];
  nextRuns?: never;
  file?: never;
  line?: never;
}

/** A resource already as declared: planned so that its spec is known, left out of the plan's JSON and never applied. */
export interface NoopChange extends WithSpec {
  action: 'noop';
  before: Spec;
  diffs: [];
  reason?: never;
  strategy?: never;
  objects?: never;
  nextRuns?: never;
}

/** The plan's unit, discriminated on `action`: the types say what each action carries. */
export type Change = CreateChange | UpdateChange | ReplaceChange | DeleteChange | NoopChange;
export type Action = Change['action'];
/** A change that does something: what apply runs and the plan's JSON form lists. */
export type LiveChange = Exclude<Change, NoopChange>;

/** `Omit` over each member of a union (the built-in keeps only the keys all members share). */
export type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
