/**
 * The Docker Engine and the reverse proxy, as the composition root builds them for `ploy serve`
 * and for the commands that deploy or look at containers. Their modules (dockerode, the Caddy
 * client) load on the first call, so a command that needs neither never pays for them.
 */
import type { EngineConfig } from '../config/types.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';

/** The Docker Engine of docker.host; nothing connects, and dockerode does not load, until the first call. */
export async function dockerRuntime(config: EngineConfig) {
  const { LazyDockerRuntime } = await import('../adapters/docker/lazy-runtime.js');
  return new LazyDockerRuntime({ host: config.docker.host });
}

/**
 * Caddy's admin API when proxy.caddy is configured; with `manage: true`, in front of a Caddy
 * container Ploy runs itself on the Docker runtime.
 */
export async function caddyProxy(config: EngineConfig, containers?: ContainerRuntime) {
  if (!config.proxy) return undefined;
  const { admin, listen, manage, image } = config.proxy.caddy;
  const { CaddyProxy } = await import('../adapters/caddy/caddy-proxy.js');
  const caddy = new CaddyProxy(admin, listen);
  if (!manage) return caddy;
  const { ManagedCaddy } = await import('../adapters/caddy/managed-caddy.js');
  return new ManagedCaddy(caddy, containers ?? (await dockerRuntime(config)), { image, admin });
}
