import { type ContainerRuntime, type ContainerSummary, PLOY_LABELS } from '../../ports/container-runtime.js';
import type { Spec } from '../resource.js';
import { APP_LABELS } from './app-container.js';
import { containerHash } from './container-hash.js';

/** The live containers of every app Ploy manages, by app name (one listing call). */
export async function listAppContainers(runtime: ContainerRuntime): Promise<Map<string, ContainerSummary[]>> {
  const all = await runtime.listManaged({ [PLOY_LABELS.app]: true, [APP_LABELS.role]: 'app' });
  const byApp = new Map<string, ContainerSummary[]>();
  for (const c of all) {
    const app = c.labels[PLOY_LABELS.app];
    byApp.set(app, [...(byApp.get(app) ?? []), c]);
  }
  for (const list of byApp.values())
    list.sort((a, b) => replicaOf(a) - replicaOf(b) || a.created.getTime() - b.created.getTime());
  return byApp;
}

export const replicaOf = (c: ContainerSummary): number => Number(c.labels[APP_LABELS.replica]) || 0;

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
