import { type ContainerRuntime, RuntimeConflictError, RuntimeOperationError } from '../../ports/container-runtime.js';

/** Networks being created by this process: Docker does not reliably refuse a duplicate name. */
const creating = new Map<string, Promise<void>>();

/**
 * Creates the networks an app joins, unless they exist. A network of that name that Ploy did
 * not create is joined as it is (it may be shared with things outside Ploy) and never removed.
 * Apps deploying side by side share one creation per name: two networks with one name could
 * not be used by name at all.
 */
export async function ensureNetworks(runtime: ContainerRuntime, names: readonly string[], swarm = false): Promise<void> {
  for (const name of names) {
    let pending = creating.get(name);
    if (!pending) {
      pending = createNetwork(runtime, name, swarm).finally(() => creating.delete(name));
      creating.set(name, pending);
    }
    await pending;
  }
}

async function createNetwork(runtime: ContainerRuntime, name: string, swarm: boolean): Promise<void> {
  if ((await runtime.listNetworks()).some((n) => n.name === name)) return;
  try {
    await runtime.createNetwork({
      name,
      driver: swarm ? 'overlay' : 'bridge',
      attachable: swarm || undefined,
      labels: { 'ploy.network': name },
    });
  } catch (e) {
    // Taken by a network Ploy did not create: joined as it is.
    if (!(e instanceof RuntimeConflictError)) throw e;
  }
}

/** Creates the named volumes an app mounts; an existing volume is kept with its data. */
export async function ensureVolumes(runtime: ContainerRuntime, app: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const have = new Set((await runtime.listVolumes()).map((v) => v.name));
  for (const name of names) if (!have.has(name)) await runtime.createVolume({ name, labels: { 'ploy.app': app } });
}

/**
 * Removes those of `candidates` (a deleted app's networks) that Ploy created and no declared
 * app uses any more. A network still in use (by anything) stays. Volumes are never removed
 * here: their data outlives apps.
 */
export async function pruneNetworks(
  runtime: ContainerRuntime,
  candidates: readonly string[],
  stillUsed: ReadonlySet<string>,
): Promise<void> {
  for (const n of await runtime.listNetworks()) {
    if (!candidates.includes(n.name) || stillUsed.has(n.name)) continue;
    // Docker refuses (403/409) while any container is attached: that is the "in use" case.
    await runtime.removeNetwork(n.id).catch((e) => {
      if (!(e instanceof RuntimeOperationError)) throw e;
    });
  }
}
