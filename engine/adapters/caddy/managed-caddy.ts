import { createHash } from 'node:crypto';
import { type ContainerRuntime, type ContainerSpec, PLOY_LABELS, type ContainerSummary } from '../../ports/container-runtime.js';
import { type Proxy, type ProxyRoute, ProxyUnavailableError } from '../../ports/proxy.js';

/** The label that marks Ploy's own system containers, and its value for the Caddy one. */
export const SYSTEM_LABEL = 'ploy.system';
const SYSTEM = 'caddy';
export const MANAGED_CADDY_NAME = 'ploy-caddy';
const DATA_VOLUME = 'ploy-caddy-data';
const CONFIG_VOLUME = 'ploy-caddy-config';
const INITIAL_CONFIG = '/etc/ploy/caddy.json';
/** How long a (re)started Caddy has to answer on its admin API. */
const READY_MS = 20_000;

export interface ManagedCaddyOptions {
  image: string;
  /** proxy.caddy.admin: where the admin API listens (on the Docker host: Caddy runs in its network). */
  admin: string;
}

/**
 * `proxy.caddy.manage: true`: Caddy as a system container that Ploy runs and keeps, in front
 * of the Proxy port over its admin API.
 *
 * The container uses the host's network, so Caddy binds `listen` and the admin address on the
 * Docker host and reaches app containers at their bridge addresses exactly as a Caddy
 * installed on the host does: one routing model for both ways of running it. Certificates
 * (/data) and the last loaded config (/config, loaded again with `--resume`) live in named
 * volumes, so a restart or a recreate keeps certificates and serves the routes at once.
 *
 * Reading never starts anything (`ploy plan` stays read-only): a missing or stopped Caddy has
 * no routes, which shows every routed app as drifted, and the update that heals it calls
 * ensureServer(), which brings the container back.
 */
export class ManagedCaddy implements Proxy {
  #ensuring: Promise<void> | undefined;

  constructor(
    private readonly caddy: Proxy,
    private readonly containers: ContainerRuntime,
    private readonly opts: ManagedCaddyOptions,
  ) {}

  async ensureServer(): Promise<void> {
    await this.ensureRunning();
    await this.caddy.ensureServer();
  }

  async listRoutes(): Promise<ProxyRoute[]> {
    const current = await this.#current();
    return current?.state === 'running' ? this.caddy.listRoutes() : [];
  }

  putRoute(route: ProxyRoute): Promise<void> {
    return this.caddy.putRoute(route);
  }

  setUpstreams(id: string, upstreams: string[]): Promise<void> {
    return this.caddy.setUpstreams(id, upstreams);
  }

  removeRoute(id: string): Promise<void> {
    return this.caddy.removeRoute(id);
  }

  inFlight(upstreams: string[]): Promise<number> {
    return this.caddy.inFlight(upstreams);
  }

  /**
   * Makes the Caddy container exist, run the configured image, and answer. Concurrent callers
   * (apps rolled out at once) share one attempt.
   */
  ensureRunning(): Promise<void> {
    this.#ensuring ??= this.#ensure().finally(() => (this.#ensuring = undefined));
    return this.#ensuring;
  }

  async #ensure(): Promise<void> {
    const spec = this.#spec();
    const hash = specHash(spec);
    const all = await this.containers.listManaged({ [SYSTEM_LABEL]: SYSTEM });
    const keep = all.find((c) => c.labels[PLOY_LABELS.specHash] === hash);
    for (const c of all) if (c !== keep) await this.containers.remove(c.id, { force: true });
    let id = keep?.id;
    if (!id) {
      if (!(await this.containers.imageExists(this.opts.image))) await this.containers.pullImage(this.opts.image);
      for (const name of [DATA_VOLUME, CONFIG_VOLUME])
        await this.containers.createVolume({ name, labels: { [SYSTEM_LABEL]: SYSTEM } });
      id = await this.containers.createContainer({ ...spec, labels: { ...spec.labels, [PLOY_LABELS.specHash]: hash } });
    }
    if (keep?.state !== 'running') await this.containers.start(id);
    await this.#answering(id);
  }

  /** Waits until the admin API answers; a Caddy that does not is reported with its log. */
  async #answering(id: string): Promise<void> {
    const deadline = Date.now() + READY_MS;
    for (;;) {
      try {
        await this.caddy.listRoutes();
        return;
      } catch (err) {
        if (!(err instanceof ProxyUnavailableError) || Date.now() > deadline) {
          const log = await this.containers.logs(id, { tail: 10 }).catch(() => []);
          const tail = log.map((l) => l.text).join('\n');
          throw new ProxyUnavailableError(
            `the managed Caddy (container ${MANAGED_CADDY_NAME}) did not answer at ${this.opts.admin} within ${READY_MS / 1000} s${tail ? `; its last log lines:\n${tail}` : ''}`,
            { cause: err },
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  #current(): Promise<ContainerSummary | undefined> {
    return this.containers.listManaged({ [SYSTEM_LABEL]: SYSTEM }).then((all) => all[0]);
  }

  #spec(): ContainerSpec {
    const admin = new URL(this.opts.admin);
    return {
      name: MANAGED_CADDY_NAME,
      image: this.opts.image,
      // --resume: the config Caddy last ran (Ploy's routes) is loaded again after a restart;
      // the initial file only matters the first time, for where the admin API listens.
      cmd: ['caddy', 'run', '--resume', '--config', INITIAL_CONFIG],
      env: { XDG_DATA_HOME: '/data', XDG_CONFIG_HOME: '/config' },
      labels: { [SYSTEM_LABEL]: SYSTEM },
      networks: [{ name: 'host' }],
      mounts: [
        { type: 'volume', source: DATA_VOLUME, target: '/data' },
        { type: 'volume', source: CONFIG_VOLUME, target: '/config' },
      ],
      restart: { name: 'unless-stopped' },
      files: [{ path: INITIAL_CONFIG, content: JSON.stringify({ admin: { listen: admin.host } }) }],
    };
  }
}

/** What the container is made from: a change of any of it (the image, the admin address) recreates it. */
function specHash(spec: ContainerSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}
