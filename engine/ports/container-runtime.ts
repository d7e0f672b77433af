import type {
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  ExecOptions,
  ExecResult,
  LogLine,
  LogOptions,
} from './container-runtime-containers.js';
import type { BuildOptions, BuildResult, ImageInfo, PullOptions, PullResult } from './container-runtime-images.js';
import type { ServiceInfo, ServiceSpec, SwarmState } from './container-runtime-swarm.js';

/**
 * The container runtime port: what Ploy needs from a Docker Engine, in Ploy's own terms.
 * The dockerode adapter (engine/adapters/docker/) implements it; fakes implement it in tests.
 * Every object Ploy creates carries the label `ploy.managed=true`, and every listing method
 * returns only such objects: Ploy never sees, changes or prunes what it did not create.
 *
 * Errors: a daemon that cannot be reached is a fault of the machine (RuntimeUnavailableError,
 * with the connection error as `cause`); everything else is the failure of one operation
 * (RuntimeOperationError and its subclasses), which the caller records as a failed change.
 */
export interface ContainerRuntime {
  /** Resolves when the daemon answers; RuntimeUnavailableError when it does not. */
  ping(signal?: AbortSignal): Promise<void>;
  /** Daemon version and swarm state. */
  info(): Promise<RuntimeInfo>;

  /** Containers labelled `ploy.managed=true` (running or not) that also match `labels`. */
  listManaged(labels?: LabelFilter): Promise<ContainerSummary[]>;
  /** One container by id or name, managed or not; RuntimeNotFoundError when there is none. */
  inspect(idOrName: string): Promise<ContainerDetails>;
  /** Creates (does not start) a container; `ploy.managed=true` is added to its labels. Returns its id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  /** Starts a created or stopped container; starting a running one is a no-op. */
  start(id: string): Promise<void>;
  /** Stops with SIGTERM, then SIGKILL after `timeoutSeconds` (default: the container's own, 10 s). No-op when stopped. */
  stop(id: string, opts?: { timeoutSeconds?: number }): Promise<void>;
  /** Removes a container (with `force`, also a running one). Resolves when it is already gone. */
  remove(id: string, opts?: { force?: boolean }): Promise<void>;
  /** The container's log so far, stdout and stderr demultiplexed into lines in the order written. */
  logs(id: string, opts?: LogOptions): Promise<LogLine[]>;
  /** The log as it is written (after `tail` earlier lines); ends when the container stops or `signal` aborts. */
  followLogs(id: string, opts: LogOptions & { signal: AbortSignal }): AsyncIterable<LogLine>;
  /** Runs a command in a running container and waits for it. A non-zero exit is a result, not an error. */
  exec(id: string, cmd: string[], opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Subscribes to the daemon's events. Resolves once the daemon has accepted the subscription,
   * so nothing that happens after the `await` is missed. The iterable ends when `signal` aborts;
   * a stream the daemon closes on its own raises RuntimeUnavailableError.
   */
  events(filter: EventFilter, signal: AbortSignal): Promise<AsyncIterable<RuntimeEvent>>;

  /** Networks labelled `ploy.managed=true` that also match `labels`. */
  listNetworks(labels?: LabelFilter): Promise<NetworkInfo[]>;
  /** Creates a network labelled `ploy.managed=true`; RuntimeConflictError when the name is taken. */
  createNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  /** Removes a network by name or id; resolves when it is already gone. */
  removeNetwork(nameOrId: string): Promise<void>;

  /** Volumes labelled `ploy.managed=true` that also match `labels`. */
  listVolumes(labels?: LabelFilter): Promise<VolumeInfo[]>;
  /** Creates a named volume labelled `ploy.managed=true`. Docker returns an existing volume of that name as it is: check its labels. */
  createVolume(spec: VolumeSpec): Promise<VolumeInfo>;
  /** Removes a volume and its data; resolves when it is already gone, RuntimeConflictError while in use. */
  removeVolume(name: string): Promise<void>;

  /** Whether the image is present locally (by tag, digest or id). */
  imageExists(ref: string): Promise<boolean>;
  /** The local image with its id and repo digests, or undefined when absent. */
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /**
   * Pulls an image. Fails with ImagePullError when the daemon refuses the pull or when the
   * progress stream reports an error (Docker sends most pull failures inside a 200 response).
   */
  pullImage(ref: string, opts?: PullOptions): Promise<PullResult>;
  /** Builds an image from a local context directory; ImageBuildError (with the log so far) on failure. */
  buildImage(contextDir: string, opts: BuildOptions, onLog?: (line: string) => void): Promise<BuildResult>;
  /** Removes a local image; resolves when it is already gone. */
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;

  /** Swarm services labelled `ploy.managed=true` that also match `labels` (swarm mode, on a manager). */
  listServices(labels?: LabelFilter): Promise<ServiceInfo[]>;
  /** Creates a service labelled `ploy.managed=true`; returns its id. Swarm rolls it out. */
  createService(spec: ServiceSpec): Promise<string>;
  /** Replaces a service's spec; `version` is the one last read (Swarm refuses a stale one). */
  updateService(id: string, version: number, spec: ServiceSpec): Promise<void>;
  /** Removes a service and its tasks; resolves when it is already gone. */
  removeService(id: string): Promise<void>;
}

/** The labels Ploy puts on what it manages. `managed` is added by the runtime itself. */
export const PLOY_LABELS = {
  managed: 'ploy.managed',
  app: 'ploy.app',
  specHash: 'ploy.spec-hash',
  revision: 'ploy.revision',
} as const;

/** Label selector: `value` requires that value, `true` only that the label is present. All must match. */
export type LabelFilter = Record<string, string | true>;

/** The daemon, as `docker info` and `docker version` describe it. */
export interface RuntimeInfo {
  serverVersion: string;
  apiVersion: string;
  os: string;
  arch: string;
  cpus: number;
  memoryBytes: number;
  swarm: SwarmState;
  /** The daemon's clock when it answered (`docker info`'s SystemTime), when it says. */
  systemTime?: Date;
}

/** Which events to receive; every given field must match. */
export interface EventFilter {
  /** `container`, `network`, `volume`, `image`, `service`, ... */
  types?: string[];
  /** Docker's action names (`start`, `die`, `health_status`, ...). */
  actions?: string[];
  labels?: LabelFilter;
  /** Container ids or names. */
  containers?: string[];
  /** Also replay the events since then (the daemon keeps a short history). */
  since?: Date;
}

/** One event from the daemon. */
export interface RuntimeEvent {
  type: string;
  /** Docker's action without its detail: `health_status`, not `health_status: healthy`. */
  action: string;
  /** What followed the colon in Docker's action (`healthy` for health_status), when anything did. */
  detail?: string;
  /** The object's id (container id, network id, volume name, image ref). */
  id: string;
  /** The object's name and labels (for containers), as the daemon sends them. */
  attributes: Record<string, string>;
  time: Date;
}

/** A network to create. */
export interface NetworkSpec {
  name: string;
  /** `bridge` (default) on one host; `overlay` in swarm mode. */
  driver?: 'bridge' | 'overlay';
  labels?: Record<string, string>;
  /** No route outside the network. */
  internal?: boolean;
  /** Overlay networks only: standalone containers may join too. */
  attachable?: boolean;
}

/** A network as the daemon reports it. */
export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  labels: Record<string, string>;
}

/** A named volume to create. */
export interface VolumeSpec {
  name: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

/** A volume as the daemon reports it. */
export interface VolumeInfo {
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
}

// The port's value types live beside it, one file per kind of object; importing the port
// gives them all.
export * from './container-runtime-containers.js';
export * from './container-runtime-errors.js';
export * from './container-runtime-images.js';
export * from './container-runtime-swarm.js';
