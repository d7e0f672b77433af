import { existsSync } from 'node:fs';
import type {
  BuildOptions,
  BuildResult,
  ContainerDetails,
  ContainerRuntime,
  ContainerSpec,
  ContainerSummary,
  EventFilter,
  ExecOptions,
  ExecResult,
  ImageInfo,
  LabelFilter,
  LogLine,
  LogOptions,
  NetworkInfo,
  NetworkSpec,
  PullOptions,
  PullResult,
  RuntimeEvent,
  RuntimeInfo,
  ServiceInfo,
  ServiceSpec,
  VolumeInfo,
  VolumeSpec,
} from '../../ports/container-runtime.js';
import { describeHost } from './connection.js';
import type { DockerRuntime, DockerRuntimeOptions } from './docker-runtime.js';
import { toRuntimeError } from './errors.js';

/**
 * The Docker runtime of docker.host, with dockerode loaded on the first call rather than at
 * start-up: dockerode brings ssh2, gRPC and protobufjs, about 0.2 s of CPU to load, which
 * `ploy plan` paid on every run even where no Docker runs. While docker.host is a unix socket
 * that does not exist, a call fails without loading it, exactly as the connection would
 * (RuntimeUnavailableError: "Docker is not reachable at ... (ENOENT): connect ENOENT ...").
 * The socket is looked for again on every call until it is found, so a long-running engine
 * sees a daemon that starts after it.
 */
export class LazyDockerRuntime implements ContainerRuntime {
  #real: DockerRuntime | undefined;

  constructor(private readonly opts: DockerRuntimeOptions = {}) {}

  async #runtime(operation: string): Promise<ContainerRuntime> {
    if (this.#real) return this.#real;
    const socket = unixSocket(this.opts.host);
    if (socket !== undefined && !existsSync(socket)) {
      // The error net.connect gives for a socket path that does not exist, mapped as the adapter maps it.
      const err = Object.assign(new Error(`connect ENOENT ${socket}`), {
        code: 'ENOENT',
        errno: -2,
        syscall: 'connect',
        address: socket,
      });
      throw toRuntimeError(err, operation, describeHost(this.opts.host));
    }
    const { DockerRuntime } = await import('./docker-runtime.js');
    return (this.#real ??= new DockerRuntime(this.opts));
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.#runtime('ping').then((r) => r.ping(signal));
  }
  info(): Promise<RuntimeInfo> {
    return this.#runtime('info').then((r) => r.info());
  }
  listManaged(labels?: LabelFilter): Promise<ContainerSummary[]> {
    return this.#runtime('list containers').then((r) => r.listManaged(labels));
  }
  inspect(idOrName: string): Promise<ContainerDetails> {
    return this.#runtime(`inspect ${idOrName}`).then((r) => r.inspect(idOrName));
  }
  createContainer(spec: ContainerSpec): Promise<string> {
    return this.#runtime(`create container ${spec.name}`).then((r) => r.createContainer(spec));
  }
  start(id: string): Promise<void> {
    return this.#runtime(`start ${id}`).then((r) => r.start(id));
  }
  stop(id: string, opts?: { timeoutSeconds?: number }): Promise<void> {
    return this.#runtime(`stop ${id}`).then((r) => r.stop(id, opts));
  }
  remove(id: string, opts?: { force?: boolean }): Promise<void> {
    return this.#runtime(`remove ${id}`).then((r) => r.remove(id, opts));
  }
  logs(id: string, opts?: LogOptions): Promise<LogLine[]> {
    return this.#runtime(`logs ${id}`).then((r) => r.logs(id, opts));
  }
  followLogs(id: string, opts: LogOptions & { signal: AbortSignal }): AsyncIterable<LogLine> {
    const runtime = () => this.#runtime(`logs ${id}`);
    return (async function* () {
      yield* (await runtime()).followLogs(id, opts);
    })();
  }
  exec(id: string, cmd: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.#runtime(`exec in ${id}`).then((r) => r.exec(id, cmd, opts));
  }
  events(filter: EventFilter, signal: AbortSignal): Promise<AsyncIterable<RuntimeEvent>> {
    return this.#runtime('events').then((r) => r.events(filter, signal));
  }
  listNetworks(labels?: LabelFilter): Promise<NetworkInfo[]> {
    return this.#runtime('list networks').then((r) => r.listNetworks(labels));
  }
  createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    return this.#runtime(`create network ${spec.name}`).then((r) => r.createNetwork(spec));
  }
  removeNetwork(nameOrId: string): Promise<void> {
    return this.#runtime(`remove network ${nameOrId}`).then((r) => r.removeNetwork(nameOrId));
  }
  listVolumes(labels?: LabelFilter): Promise<VolumeInfo[]> {
    return this.#runtime('list volumes').then((r) => r.listVolumes(labels));
  }
  createVolume(spec: VolumeSpec): Promise<VolumeInfo> {
    return this.#runtime(`create volume ${spec.name}`).then((r) => r.createVolume(spec));
  }
  removeVolume(name: string): Promise<void> {
    return this.#runtime(`remove volume ${name}`).then((r) => r.removeVolume(name));
  }
  imageExists(ref: string): Promise<boolean> {
    return this.#runtime(`inspect image ${ref}`).then((r) => r.imageExists(ref));
  }
  inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return this.#runtime(`inspect image ${ref}`).then((r) => r.inspectImage(ref));
  }
  pullImage(ref: string, opts?: PullOptions): Promise<PullResult> {
    return this.#runtime(`pull ${ref}`).then((r) => r.pullImage(ref, opts));
  }
  buildImage(contextDir: string, opts: BuildOptions, onLog?: (line: string) => void): Promise<BuildResult> {
    return this.#runtime('build image').then((r) => r.buildImage(contextDir, opts, onLog));
  }
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void> {
    return this.#runtime(`remove image ${ref}`).then((r) => r.removeImage(ref, opts));
  }
  listServices(labels?: LabelFilter): Promise<ServiceInfo[]> {
    return this.#runtime('list services').then((r) => r.listServices(labels));
  }
  createService(spec: ServiceSpec): Promise<string> {
    return this.#runtime(`create service ${spec.name}`).then((r) => r.createService(spec));
  }
  updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    return this.#runtime(`update service ${id}`).then((r) => r.updateService(id, version, spec));
  }
  removeService(id: string): Promise<void> {
    return this.#runtime(`remove service ${id}`).then((r) => r.removeService(id));
  }
}

/**
 * The unix socket dockerode would connect to for `host` (as connection.ts reads it; without
 * a host, DOCKER_HOST, then /var/run/docker.sock), or undefined for any other transport.
 */
export function unixSocket(host: string | undefined): string | undefined {
  const h = host || process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (h.startsWith('/')) return h;
  if (!h.startsWith('unix://')) return undefined;
  try {
    return new URL(h).pathname || undefined;
  } catch {
    return undefined;
  }
}
