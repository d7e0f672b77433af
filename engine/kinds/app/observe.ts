import { type ContainerRuntime, type ContainerSummary, PLOY_LABELS } from '../../ports/container-runtime.js';
import type { Proxy } from '../../ports/proxy.js';
import type { Spec } from '../../model/resource.js';
import { APP_LABELS } from './app-container.js';
import { containerHash } from './container-hash.js';
import { atAddresses, onRoutingMesh, routeDrift } from './routing.js';
import { replicaOf } from './replica.js';
import { liveServiceDrift } from './swarm.js';

/** The live containers of every app Ploy manages, by app name (one listing call). */
export async function listAppContainers(runtime: ContainerRuntime): Promise<Map<string, ContainerSummary[]>> {
  const all = await runtime.listManaged({ [PLOY_LABELS.app]: true, [APP_LABELS.role]: 'app' });
  const byApp = new Map<string, ContainerSummary[]>();
  for (const c of all) {
    const app = c.labels[PLOY_LABELS.app];
    const list = byApp.get(app);
    if (list) list.push(c);
    else byApp.set(app, [c]);
  }
  for (const list of byApp.values())
    list.sort((a, b) => replicaOf(a) - replicaOf(b) || a.created.getTime() - b.created.getTime());
  return byApp;
}

/**
 * The cheap live checks of a plan: whether an applied app's containers are still what Ploy
 * left (count, running, healthy, spec hash). Returns why not, in words for the plan, or
 * undefined when all is as applied. Pure.
 */
export function liveDrift(spec: Spec, containers: readonly ContainerSummary[]): string | undefined {
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const hash = containerHash(spec);
  const problems: string[] = [];
  for (const c of containers) {
    if (c.labels[PLOY_LABELS.specHash] !== hash)
      problems.push(`container ${c.name} was changed outside Ploy (spec hash differs)`);
    else if (c.state === 'restarting') problems.push(`container ${c.name} is restarting`);
    else if (c.state !== 'running') problems.push(`container ${c.name} is ${c.state} (stopped outside Ploy?)`);
    else if (c.health === 'unhealthy') problems.push(`container ${c.name} is unhealthy`);
  }
  if (containers.length < replicas) {
    const missing = replicas - containers.length;
    problems.push(
      containers.length === 0
        ? `no container is there (removed outside Ploy?)`
        : `${missing} of ${replicas} containers missing (removed outside Ploy?)`,
    );
  } else if (containers.length > replicas) {
    problems.push(`${containers.length - replicas} container(s) more than the ${replicas} declared`);
  }
  return problems.length ? `drift: ${problems.join('; ')}` : undefined;
}

/** Why an app's live state is not what was applied; `inPlace` when an update heals it (routes). */
export interface AppDrift {
  reason: string;
  inPlace: boolean;
}

/** What the live state says about the applied apps. */
export interface AppObservation {
  /** Per applied app, why its live state is not what was applied (undefined: it is). */
  drift: Map<string, AppDrift | undefined>;
  /** Apps with Ploy's labels live but no applied record (a crash between create and record). */
  unknown: Array<{ name: string; image: string; drift: string }>;
}

/**
 * One look at Docker for every applied app: its containers (standalone) or its service
 * (swarm), checked against the applied spec. Throws RuntimeUnavailableError when Docker does
 * not answer. `specs` are the applied specs with defaults.
 */
export async function observeApps(
  runtime: ContainerRuntime,
  swarm: boolean,
  specs: ReadonlyMap<string, Spec>,
  proxy?: Proxy,
): Promise<AppObservation> {
  const drift = new Map<string, AppDrift | undefined>();
  const replace = (reason: string | undefined) => (reason ? { reason, inPlace: false } : undefined);
  const unknown: AppObservation['unknown'] = [];
  const routed = [...specs.values()].some((s) => Array.isArray(s.routes) && s.routes.length > 0);
  const routes = proxy && routed ? await proxy.listRoutes().catch(() => undefined) : undefined;
  if (swarm) {
    const services = new Map(
      (await runtime.listServices({ [PLOY_LABELS.app]: true })).map((s) => [s.labels[PLOY_LABELS.app], s]),
    );
    for (const [name, spec] of specs) {
      const svc = services.get(name);
      const inPlace = routes && Array.isArray(spec.routes) ? routeDrift(name, spec, onRoutingMesh(svc), routes) : undefined;
      drift.set(
        name,
        replace(liveServiceDrift(spec, containerHash(spec), svc)) ?? (inPlace ? { reason: inPlace, inPlace: true } : undefined),
      );
    }
    for (const [name, s] of services) {
      if (!specs.has(name))
        unknown.push({
          name,
          image: s.image,
          drift: 'drift: a service labelled for this app that Ploy has no record of applying',
        });
    }
    return { drift, unknown };
  }
  const containers = await listAppContainers(runtime);
  for (const [name, spec] of specs) {
    const cs = containers.get(name) ?? [];
    const addresses = cs.flatMap((c) => c.networks.find((n) => n.ip)?.ip ?? []);
    const inPlace = routes && Array.isArray(spec.routes) ? routeDrift(name, spec, atAddresses(addresses), routes) : undefined;
    drift.set(name, replace(liveDrift(spec, cs)) ?? (inPlace ? { reason: inPlace, inPlace: true } : undefined));
  }
  for (const [name, cs] of containers) {
    if (specs.has(name)) continue;
    unknown.push({
      name,
      image: cs[0].image,
      drift: `drift: ${cs.length} container(s) labelled for this app that Ploy has no record of applying`,
    });
  }
  return { drift, unknown };
}
