import type { DesiredState } from '../kinds/desired.js';
import { hmacDigest } from '../kinds/digest.js';
import { app } from '../kinds/app/index.js';
import { listAppContainers, liveDrift } from '../kinds/app/observe.js';
import type { Kind } from '../kinds/resource.js';
import { type ContainerRuntime, type ContainerSummary, RuntimeUnavailableError } from '../ports/container-runtime.js';
import type { Store } from '../ports/store.js';
import { actualFromApplied, actualHash } from './actual.js';
import { computePlan } from './compute.js';
import type { Plan } from './types.js';

export interface PlanAgainstOptions {
  prune: boolean;
  /** The Docker Engine whose containers are the apps' live state; without one, apps compare with the store. */
  containers?: ContainerRuntime;
}

/**
 * Desired versus actual: the store's last-applied state, refined for apps by their live
 * containers (drift: stopped, removed, unhealthy, changed by hand; containers Ploy labelled
 * but has no record of). When Docker cannot be reached, apps are compared with what was last
 * applied, and the plan says so.
 */
export async function planAgainstStore(desired: DesiredState, store: Store, opts: PlanAgainstOptions): Promise<Plan> {
  const [key, applied] = await Promise.all([store.secretKey(), store.listApplied()]);
  const hasApps = desired.resources.some((r) => r.kind === 'App') || applied.some((a) => a.kind === 'App');
  const live = hasApps ? await observe(opts.containers) : undefined;
  const unobserved: Kind[] = hasApps && !live ? ['App'] : [];
  const actual = actualFromApplied(applied, unobserved);
  if (live) {
    for (const r of actual.resources.values()) {
      if (r.kind !== 'App') continue;
      r.drift = liveDrift(app.withDefaults(r.spec), live.get(r.name) ?? []);
      live.delete(r.name);
    }
    // Containers with Ploy's labels but no applied record (a crash between create and record).
    for (const [name, containers] of live) {
      actual.resources.set(`App/${name}`, {
        kind: 'App',
        name,
        spec: { kind: 'App', name, image: containers[0].image },
        protect: false,
        drift: `drift: ${containers.length} container(s) labelled for this app that Ploy has no record of applying`,
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

/** The apps' containers, or undefined when there is no Docker to ask. */
async function observe(runtime: ContainerRuntime | undefined): Promise<Map<string, ContainerSummary[]> | undefined> {
  if (!runtime) return undefined;
  try {
    return await listAppContainers(runtime);
  } catch (e) {
    if (e instanceof RuntimeUnavailableError) return undefined;
    throw e;
  }
}
