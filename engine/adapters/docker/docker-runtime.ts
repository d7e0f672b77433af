import Dockerode from 'dockerode';
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
  SwarmState,
  VolumeInfo,
  VolumeSpec,
} from '../../ports/container-runtime.js';
import { RuntimeUnavailableError } from '../../ports/container-runtime.js';
import { describeHost, dockerConnectionOptions } from './connection.js';
import { toDetails, toSummary } from './container-info.js';
import { filesArchive } from './container-files.js';
import { toCreateOptions } from './container-spec.js';
import { dockerCall, isAbort, toRuntimeError } from './errors.js';
import { buildImage, pullImage } from './images.js';
import { labelArgs, managed, matches } from './labels.js';
import { DockerObjects } from './objects.js';
import { DockerServices } from './services.js';
import { containerLogs, execIn, followLogs, subscribeEvents } from './streams.js';

/** How long `ping` waits for an answer when the caller gives no signal. */
const PING_TIMEOUT_MS = 5_000;

/** Options of the Docker adapter. */
export interface DockerRuntimeOptions {
  /** `docker.host` from ploy.config.yaml (already overridden by DOCKER_HOST); undefined = dockerode's default. */
  host?: string;
}

/** The ContainerRuntime port over the Docker Engine API, through dockerode. */
export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Dockerode;
  private readonly where: string;
  private readonly objects: DockerObjects;
  private readonly services: DockerServices;

  constructor(opts: DockerRuntimeOptions = {}) {
    this.docker = new Dockerode(dockerConnectionOptions(opts.host));
    this.where = describeHost(opts.host);
    this.objects = new DockerObjects(this.docker, this.where);
    this.services = new DockerServices(this.docker, this.where);
  }

  async ping(signal?: AbortSignal): Promise<void> {
    const timeout = signal ?? AbortSignal.timeout(PING_TIMEOUT_MS);
    try {
      // dockerode takes an abort signal here; its typings do not say so.
      await (this.docker as unknown as { ping(o: object): Promise<unknown> }).ping({ abortSignal: timeout });
    } catch (err) {
      if (timeout.aborted && isAbort(err)) {
        throw new RuntimeUnavailableError(`Docker at ${this.where} did not answer a ping in time`, 'ping', {
          cause: err,
        });
      }
      const e = toRuntimeError(err, 'ping', this.where);
      // A daemon that answers the ping with an error is not usable either.
      throw e instanceof RuntimeUnavailableError ? e : new RuntimeUnavailableError(e.message, 'ping', { cause: err });
    }
  }

  async info(): Promise<RuntimeInfo> {
    const [info, version] = await this.call('info', () => Promise.all([this.docker.info(), this.docker.version()]));
    const swarm = info.Swarm ?? {};
    const states: SwarmState['state'][] = ['inactive', 'pending', 'active', 'error', 'locked'];
    const systemTime = info.SystemTime ? new Date(info.SystemTime) : undefined;
    return {
      serverVersion: info.ServerVersion,
      apiVersion: version.ApiVersion,
      os: info.OperatingSystem,
      arch: info.Architecture,
      cpus: info.NCPU,
      memoryBytes: info.MemTotal,
      swarm: {
        state: states.includes(swarm.LocalNodeState) ? swarm.LocalNodeState : 'error',
        nodeId: swarm.NodeID ?? '',
        isManager: !!swarm.ControlAvailable,
      },
      ...(systemTime && !Number.isNaN(systemTime.getTime()) ? { systemTime } : {}),
    };
  }

  async listManaged(labels?: LabelFilter): Promise<ContainerSummary[]> {
    const f = managed(labels);
    const list = await this.call('list containers', () =>
      this.docker.listContainers({ all: true, filters: { label: labelArgs(f) } }),
    );
    return list.filter((c) => matches(c.Labels, f)).map(toSummary);
  }

  async inspect(idOrName: string): Promise<ContainerDetails> {
    return toDetails(await this.call(`inspect ${idOrName}`, () => this.docker.getContainer(idOrName).inspect()));
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const op = `create container ${spec.name}`;
    const container = await this.call(op, () => this.docker.createContainer(toCreateOptions(spec)));
    try {
      for (const net of (spec.networks ?? []).slice(1)) {
        await this.docker.getNetwork(net.name).connect({
          Container: container.id,
          EndpointConfig: { Aliases: net.aliases?.length ? net.aliases : undefined },
        });
      }
    } catch (err) {
      // Half-made containers are not left behind: the caller sees one failed create.
      await container.remove({ force: true }).catch(() => {});
      throw toRuntimeError(err, `${op}: connect networks`, this.where);
    }
    if (spec.files?.length) {
      try {
        await container.putArchive(await filesArchive(spec.files), { path: '/' });
      } catch (err) {
        await container.remove({ force: true }).catch(() => {});
        throw toRuntimeError(err, `${op}: write ${spec.files.map((f) => f.path).join(', ')}`, this.where);
      }
    }
    return container.id;
  }

  async start(id: string): Promise<void> {
    await this.call(`start ${id}`, () => this.docker.getContainer(id).start(), [304]);
  }

  async stop(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    const t = opts.timeoutSeconds;
    await this.call(`stop ${id}`, () => this.docker.getContainer(id).stop(t === undefined ? {} : { t }), [304]);
  }

  async remove(id: string, opts: { force?: boolean } = {}): Promise<void> {
    // v: anonymous volumes go with their container (named volumes never do).
    await this.call(`remove ${id}`, () => this.docker.getContainer(id).remove({ force: !!opts.force, v: true }), [404]);
  }

  logs(id: string, opts?: LogOptions): Promise<LogLine[]> {
    return containerLogs(this.docker, this.where, id, opts);
  }

  followLogs(id: string, opts: LogOptions & { signal: AbortSignal }): AsyncIterable<LogLine> {
    return followLogs(this.docker, this.where, id, opts);
  }

  exec(id: string, cmd: string[], opts?: ExecOptions): Promise<ExecResult> {
    return execIn(this.docker, this.where, id, cmd, opts);
  }

  events(filter: EventFilter, signal: AbortSignal): Promise<AsyncIterable<RuntimeEvent>> {
    return subscribeEvents(this.docker, this.where, filter, signal);
  }

  listNetworks(labels?: LabelFilter): Promise<NetworkInfo[]> {
    return this.objects.listNetworks(labels);
  }

  createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    return this.objects.createNetwork(spec);
  }

  removeNetwork(nameOrId: string): Promise<void> {
    return this.objects.removeNetwork(nameOrId);
  }

  listVolumes(labels?: LabelFilter): Promise<VolumeInfo[]> {
    return this.objects.listVolumes(labels);
  }

  createVolume(spec: VolumeSpec): Promise<VolumeInfo> {
    return this.objects.createVolume(spec);
  }

  removeVolume(name: string): Promise<void> {
    return this.objects.removeVolume(name);
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.objects.inspectImage(ref)) !== undefined;
  }

  inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return this.objects.inspectImage(ref);
  }

  pullImage(ref: string, opts?: PullOptions): Promise<PullResult> {
    return pullImage(this.docker, this.where, ref, opts);
  }

  buildImage(contextDir: string, opts: BuildOptions, onLog?: (line: string) => void): Promise<BuildResult> {
    return buildImage(this.docker, this.where, contextDir, opts, onLog);
  }

  removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    return this.objects.removeImage(ref, opts.force);
  }
  listServices(labels?: LabelFilter): Promise<ServiceInfo[]> {
    return this.services.listServices(labels);
  }

  createService(spec: ServiceSpec): Promise<string> {
    return this.services.createService(spec);
  }

  updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    return this.services.updateService(id, version, spec);
  }

  removeService(id: string): Promise<void> {
    return this.services.removeService(id);
  }

  private call<T>(op: string, fn: () => Promise<T>, ok: number[] = []): Promise<T> {
    return dockerCall(this.where, op, fn, ok);
  }
}
