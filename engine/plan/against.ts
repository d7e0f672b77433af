import { app } from '../kinds/app/index.js';
import { type AppObservation, observeApps } from '../kinds/app/observe.js';
import type { DesiredState } from '../kinds/desired.js';
import { hmacDigest } from '../kinds/digest.js';
import type { Kind, Spec } from '../model/resource.js';
import { type ContainerRuntime, RuntimeUnavailableError } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
import type { AppliedResource, Store } from '../ports/store.js';
import { actualFromApplied, actualHash } from './actual.js';
import { computePlan } from './compute.js';
import type { Plan } from './types.js';

export interface PlanAgainstOptions {
  prune: boolean;
  /** The Docker Engine whose containers are the apps' live state; without one, apps compare with the store. */
  containers?: ContainerRuntime;
  /** In swarm mode apps are services. */
  mode?: 'standalone' | 'swarm';
  /** The proxy whose routes are compared with the apps' routes. */
  proxy?: Proxy;
}

/**
 * Desired versus actual: the store's last-applied state, refined for apps by what runs
 * (drift: stopped, removed, unhealthy, changed by hand; apps Ploy labelled but has no record
 * of). When Docker cannot be reached, apps are compared with what was last applied, and the
 * plan says so.
 */
export async function planAgainstStore(desired: DesiredState, store: Store, opts: PlanAgainstOptions): Promise<Plan> {
  return planAgainstStored(desired, await readStored(store), opts);
}

/** What a plan needs from the store. */
export interface Stored {
  /** The installation's key, for digests of secret values. */
  key: Uint8Array;
  applied: AppliedResource[];
}

/** Reads what a plan needs from the store, all at once: a caller may close the store after. */
export async function readStored(store: Store): Promise<Stored> {
  const [key, applied] = await Promise.all([store.secretKey(), store.listApplied()]);
  return { key, applied };
}

/** planAgainstStore, with the store already read. */
export async function planAgainstStored(desired: DesiredState, stored: Stored, opts: PlanAgainstOptions): Promise<Plan> {
  const { key, applied } = stored;
  const hasApps = desired.resources.some((r) => r.kind === 'App') || applied.some((a) => a.kind === 'App');
  const appSpecs = new Map(applied.filter((a) => a.kind === 'App').map((a) => [a.name, app.withDefaults(a.spec as Spec)]));
  const observed = hasApps ? await observe(opts, appSpecs) : undefined;
  const unobserved: Kind[] = hasApps && !observed ? ['App'] : [];
  const actual = actualFromApplied(applied, unobserved);
  if (observed) {
    for (const r of actual.resources.values()) {
      const d = r.kind === 'App' ? observed.drift.get(r.name) : undefined;
      if (d) Object.assign(r, { drift: d.reason, driftInPlace: d.inPlace });
    }
    for (const u of observed.unknown) {
      actual.resources.set(`App/${u.name}`, {
        kind: 'App',
        name: u.name,
        spec: { kind: 'App', name: u.name, image: u.image },
        protect: false,
        drift: u.drift,
      });
    }
    actual.hash = actualHash(actual.resources);
  }
  return computePlan({
    revision: desired.revision,
    desired: desired.resources,
    actual,
    digest: hmacDigest(key),
    prune: opts.prune,
    diagnostics: desired.diagnostics,
  });
}

/** The apps' live state, or undefined when there is no Docker to ask. */
async function observe(opts: PlanAgainstOptions, specs: ReadonlyMap<string, Spec>): Promise<AppObservation | undefined> {
  if (!opts.containers) return undefined;
  try {
    return await observeApps(opts.containers, opts.mode === 'swarm', specs, opts.proxy);
  } catch (e) {
    if (e instanceof RuntimeUnavailableError) return undefined;
    throw e;
  }
}
