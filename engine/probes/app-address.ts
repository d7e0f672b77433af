import { type ContainerRuntime, type ContainerSummary, PLOY_LABELS } from '../ports/container-runtime.js';

/** The running containers of an App, as the runtime lists them (managed ones only). */
export async function appContainers(runtime: ContainerRuntime, app: string): Promise<ContainerSummary[]> {
  return runtime.listManaged({ [PLOY_LABELS.app]: app });
}

/**
 * The address to reach an App's container at from the host: the first running container's IP
 * on its first network. Healthy containers are preferred, so a replica that is still starting
 * does not fail the check while another one serves.
 */
export async function appAddress(runtime: ContainerRuntime, app: string): Promise<string | undefined> {
  const running = (await appContainers(runtime, app)).filter((c) => c.state === 'running');
  const ordered = [...running.filter((c) => c.health === 'healthy'), ...running.filter((c) => c.health !== 'healthy')];
  for (const c of ordered) {
    const ip = c.networks.find((n) => n.ip)?.ip;
    if (ip) return ip;
  }
  return undefined;
}
