import DataLoader from 'dataloader';
import type { ReadModel, StoredChangeResult, UptimeRecord } from '../ports/read-model.js';
import { listAppContainers } from '../kinds/app/observe.js';
import type { ContainerRuntime, ContainerSummary } from '../ports/container-runtime.js';
import type { AppliedResource, Store } from '../ports/store.js';

/** One loader per key: many lookups in one tick become one statement (no N+1). */
function byKey<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (v: V) => K): DataLoader<K, V | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await fetch(keys)).map((v) => [keyOf(v), v]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

function groupedByKey<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (v: V) => K): DataLoader<K, V[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<K, V[]>();
    for (const v of await fetch(keys)) {
      const k = keyOf(v);
      const group = groups.get(k);
      if (group) group.push(v);
      else groups.set(k, [v]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * The request's loaders. Made per request, so nothing is cached across requests and every
 * answer is as fresh as the request.
 */
export function createLoaders(store: Store, rm: ReadModel, containers?: ContainerRuntime) {
  let applied: Promise<AppliedResource[]> | undefined;
  let live: Promise<Map<string, ContainerSummary[]> | undefined> | undefined;
  const uptimeByWindow = new Map<string, DataLoader<string, UptimeRecord | null>>();
  return {
    /** Every app's containers, from one Docker listing per request; undefined when Docker does not answer. */
    liveContainers: () =>
      (live ??= containers ? listAppContainers(containers).catch(() => undefined) : Promise.resolve(undefined)),
    /** Everything applied, read once per request. */
    applied: () => (applied ??= store.listApplied()),
    revision: byKey(
      (ids: readonly number[]) => rm.revisionsByIds(ids),
      (r) => r.id,
    ),
    plan: byKey(
      (ids: readonly number[]) => rm.plansByIds(ids),
      (r) => r.id,
    ),
    latestPlanOfRevision: byKey(
      (ids: readonly number[]) => rm.latestPlansByRevisions(ids),
      (r) => r.revisionId as number,
    ),
    apply: byKey(
      (ids: readonly number[]) => rm.appliesByIds(ids),
      (r) => r.id,
    ),
    event: byKey(
      (ids: readonly number[]) => rm.eventsByIds(ids),
      (r) => r.id,
    ),
    changeResults: groupedByKey(
      (ids: readonly number[]) => rm.changeResultsByApplies(ids),
      (r: StoredChangeResult) => r.applyId,
    ),
    lastChange: byKey(
      (keys: readonly string[]) => rm.lastChangeResults(keys),
      (r) => `${r.kind}/${r.name}`,
    ),
    monitorState: byKey(
      (names: readonly string[]) => rm.monitorStates(names),
      (r) => r.monitor,
    ),
    latestDeployment: byKey(
      (apps: readonly string[]) => rm.latestDeployments(apps),
      (r) => r.app,
    ),
    latestExecution: byKey(
      (jobs: readonly string[]) => rm.latestExecutions(jobs),
      (r) => r.job,
    ),
    latestDelivery: byKey(
      (names: readonly string[]) => rm.latestDeliveries(names),
      (r) => r.notification,
    ),
    /** Uptime over one window (`since`..`until`): one statement per distinct window per request. */
    uptime(window: { since: Date; until: Date }): DataLoader<string, UptimeRecord | null> {
      const key = `${window.since.getTime()}/${window.until.getTime()}`;
      let loader = uptimeByWindow.get(key);
      if (!loader) {
        loader = byKey(
          (names: readonly string[]) => rm.uptime(names, window),
          (r) => r.monitor,
        );
        uptimeByWindow.set(key, loader);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
