import type { FieldPath } from '../load/positions.js';
import type { Action, FieldDiff, LiveChange, RolloutStrategy, TouchedObject } from '../model/change.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime, RegistryCredentials } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
import type { Events } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Kind, Resource, Spec } from '../model/resource.js';

/** A field of one resource naming another resource. */
export interface Reference {
  kind: Kind;
  name: string;
  /** Where the name is written, for the diagnostic when it names nothing. */
  path: FieldPath;
  /** The referenced resource must be applied (and for apps, healthy) first. */
  ordering: boolean;
  /** Whether a cycle through this kind of reference is an error (dependsOn, then). */
  acyclic: boolean;
}

/** What a check may know beyond the resource itself. */
export interface CheckContext {
  /** Every valid resource of the source, by kind and name. */
  byKind: Record<Kind, Map<string, Resource>>;
  /** Absolute path of the source root (build contexts must stay inside it). */
  sourceRoot: string;
  dockerMode: 'standalone' | 'swarm';
  proxyConfigured: boolean;
}

/** What an execute may touch. */
export interface ExecutePorts {
  store: Store;
  events: Events;
  clock: Clock;
  /** The apply this change belongs to (set by applyPlan). */
  applyId?: number;
  /** Present when a Docker Engine is connected; without it, app changes stay pending. */
  runtime?: RuntimeContext;
}

/** What changes that touch Docker need beyond the plan. */
export interface RuntimeContext {
  containers: ContainerRuntime;
  /**
   * The desired resources with their secrets (the plan holds only digests): the values handed
   * to containers. Keyed by `Kind/name`.
   */
  desired: ReadonlyMap<string, Resource>;
  /** The source revision being applied, for labels and the deployments history. */
  revision: string;
  revisionId: number | null;
  /** Absolute source root: build contexts and relative bind mounts resolve against it (undefined for git sources). */
  sourceRoot?: string;
  /** Registry credentials; passwords stay Sensitive until the moment of a pull. */
  registries: RegistryCredentials[];
  mode: 'standalone' | 'swarm';
  /** Aborts waits (health checks) when the engine stops. */
  signal?: AbortSignal;
  /** The reverse proxy serving app routes (proxy.caddy); traffic switches there between "new is ready" and "old stops". */
  proxy?: Proxy;
}

/** The outcome of one change; a failure is a result, never a thrown error. */
export interface ExecuteResult {
  status: 'succeeded' | 'failed' | 'pending';
  message?: string;
  detail?: Record<string, unknown>;
}

/** A resource whose spec is known to be of type `S`: its kind's, validated against the kind's schema. */
export type ResourceOf<S extends object> = Omit<Resource, 'spec'> & { spec: S };

/**
 * Everything Ploy knows about one kind, plugged into the phases, typed by the kind's spec `S`
 * (spec-types.generated.ts). The registry in registry.ts is typed so that the compiler proves
 * every kind has one, with its own spec type; `KindHandler` alone is a handler taken for any
 * spec, for code that knows the kind only at run time.
 */
export interface KindHandler<S extends object = Spec> {
  readonly kind: Kind;
  /** Pure: fills every default of FORMAT.md so that desired and applied compare field by field. */
  withDefaults(spec: S): S;
  /** Other resources this spec names. */
  references(spec: S): Reference[];
  /** What JSON Schema cannot say about one resource (schedules, conditions, contexts, ...). */
  check(resource: ResourceOf<S>, ctx: CheckContext): Diagnostic[];
  /** Checks across all resources of this kind (port and route conflicts). */
  checkAll?(resources: ResourceOf<S>[], ctx: CheckContext): Diagnostic[];
  /** Why these differences need the resource replaced rather than updated; undefined = update in place. */
  replaceReason(diffs: FieldDiff[]): string | undefined;
  /** The runtime objects (containers, networks, volumes) a change touches, listed in the plan. */
  objects?(action: Action, before?: S, after?: S, name?: string): TouchedObject[];
  /** How a replace rolls out (apps: start-first or stop-first, and why), shown in the plan. */
  strategy?(action: Action, after: S): RolloutStrategy | undefined;
  /** Carries out one change against the runtime. The store's applied state is written by apply. */
  execute(change: LiveChange, ports: ExecutePorts): Promise<ExecuteResult>;
}
