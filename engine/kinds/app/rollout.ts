import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type { ContainerRuntime, ContainerSummary } from '../../ports/container-runtime.js';
import type { AppSpec } from '../spec-types.generated.js';
import { appContainerSpec } from './app-container.js';
import { replicaOf } from './replica.js';
import { waitReady } from './readiness.js';

/**
 * Called between "the new container is healthy" and "the old one stops": the routes issue
 * switches the proxy's upstreams here. A rollback calls it again with the roles swapped.
 */
export type CutoverHook = (step: { app: string; added: string[]; removed: string[] }) => Promise<void>;

export interface RolloutInput {
  runtime: ContainerRuntime;
  app: string;
  /** Defaulted spec with secrets revealed. */
  spec: AppSpec;
  hash: string;
  image: string;
  revision: string;
  baseDir: string;
  order: 'start-first' | 'stop-first';
  /** The app's containers before the rollout. */
  old: readonly ContainerSummary[];
  signal?: AbortSignal;
  clock: Clock;
  onCutover?: CutoverHook;
}

export interface RolloutResult {
  ok: boolean;
  /** Names of the app's containers afterwards. */
  containers: string[];
  error?: string;
  /** The failing container's last lines. */
  logTail?: string[];
  /** Whether the previous containers were restored. */
  rolledBack?: boolean;
}

/** Docker-style replica names: `web.1.3f9a2c`; the suffix lets old and new coexist. */
export const containerName = (app: string, replica: number) => `${app}.${replica}.${randomBytes(3).toString('hex')}`;

class RolloutFailure extends Error {
  constructor(
    message: string,
    readonly logTail: string[],
  ) {
    super(message);
  }
}

/**
 * Replaces an app's containers one replica at a time. start-first: the new container starts and
 * must be ready (readiness.ts) before the old one of that replica stops; stop-first: the old
 * one stops first. Old containers are only stopped during the rollout, and removed once every
 * replica is ready, so a failure can restart them: with `onFailure: rollback` the new
 * containers are removed and the stopped ones started again; with `pause` all stays as it is.
 */
export async function rollout(input: RolloutInput): Promise<RolloutResult> {
  const { runtime, app, spec } = input;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const started: Array<{ id: string; name: string }> = [];
  const stopped: string[] = [];
  const stopAll = async (cs: readonly ContainerSummary[]) => {
    for (const c of cs) {
      if (c.state !== 'running' && c.state !== 'restarting') continue;
      await runtime.stop(c.id);
      stopped.push(c.id);
    }
  };
  try {
    for (let replica = 1; replica <= replicas; replica++) {
      const olds = input.old.filter((c) => replicaOf(c) === replica);
      if (input.order === 'stop-first') await stopAll(olds);
      const id = await startReplica(input, replica, started);
      await input.onCutover?.({ app, added: [id], removed: olds.map((c) => c.id) });
      if (input.order === 'start-first') await stopAll(olds);
    }
  } catch (e) {
    const failure = e instanceof RolloutFailure ? e : new RolloutFailure((e as Error).message, []);
    const rollback = spec.update?.onFailure !== 'pause';
    if (rollback) {
      for (const s of started) await runtime.remove(s.id, { force: true }).catch(() => undefined);
      for (const id of stopped.reverse()) await runtime.start(id).catch(() => undefined);
      await input.onCutover?.({ app, added: stopped, removed: started.map((s) => s.id) }).catch(() => undefined);
    }
    const keep = rollback ? input.old.map((c) => c.name) : [...input.old.map((c) => c.name), ...started.map((s) => s.name)];
    return { ok: false, containers: keep, error: failure.message, logTail: failure.logTail, rolledBack: rollback };
  }
  // Every replica is ready: now the old containers (and any beyond the replica count) go.
  for (const c of input.old) await runtime.remove(c.id, { force: true });
  return { ok: true, containers: started.map((s) => s.name) };
}

/**
 * Brings an app to its replica count without touching the containers that match: starts the
 * missing replicas (each must be ready) and removes those beyond the count, highest first.
 */
export async function scale(input: RolloutInput): Promise<RolloutResult> {
  const { runtime, spec } = input;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const have = new Set(input.old.map(replicaOf));
  const started: Array<{ id: string; name: string }> = [];
  try {
    for (let replica = 1; replica <= replicas; replica++) {
      if (have.has(replica)) continue;
      const id = await startReplica(input, replica, started);
      await input.onCutover?.({ app: input.app, added: [id], removed: [] });
    }
  } catch (e) {
    for (const s of started) await runtime.remove(s.id, { force: true }).catch(() => undefined);
    const failure = e instanceof RolloutFailure ? e : new RolloutFailure((e as Error).message, []);
    return {
      ok: false,
      containers: input.old.map((c) => c.name),
      error: failure.message,
      logTail: failure.logTail,
      rolledBack: true,
    };
  }
  const extra = input.old.filter((c) => replicaOf(c) > replicas).sort((a, b) => replicaOf(b) - replicaOf(a));
  if (extra.length) await input.onCutover?.({ app: input.app, added: [], removed: extra.map((c) => c.id) });
  for (const c of extra) await runtime.remove(c.id, { force: true });
  const kept = input.old.filter((c) => replicaOf(c) <= replicas).map((c) => c.name);
  return { ok: true, containers: [...kept, ...started.map((s) => s.name)] };
}

/** Creates, starts and waits for one replica; on failure its last 50 log lines go with the error. */
async function startReplica(input: RolloutInput, replica: number, started: Array<{ id: string; name: string }>): Promise<string> {
  const { runtime } = input;
  const name = containerName(input.app, replica);
  const id = await runtime.createContainer(
    appContainerSpec({
      app: input.app,
      spec: input.spec,
      image: input.image,
      containerName: name,
      replica,
      hash: input.hash,
      revision: input.revision,
      baseDir: input.baseDir,
    }),
  );
  started.push({ id, name });
  await runtime.start(id);
  const ready = await waitReady(runtime, id, input.spec, { signal: input.signal, clock: input.clock });
  if (!ready.ok) throw new RolloutFailure(`${name}: ${ready.reason}`, await logTail(runtime, id));
  return id;
}

export async function logTail(runtime: ContainerRuntime, id: string): Promise<string[]> {
  const lines = await runtime.logs(id, { tail: 50 }).catch(() => []);
  return lines.map((l) => l.text);
}
