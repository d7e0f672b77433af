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

/** An app as a Swarm service: a container template, a replica count, and how Swarm rolls it. */
export interface ServiceSpec extends Omit<ContainerSpec, 'stopTimeoutSeconds' | 'restart'> {
  replicas: number;
  restart?: { condition: 'none' | 'on-failure' | 'any' };
  /** Swarm's own rolling update: one task at a time, in this order, undone or paused on failure. */
  update: { order: 'start-first' | 'stop-first'; failureAction: 'rollback' | 'pause'; monitorMs: number };
  /** Credentials the nodes use to pull the image. */
  auth?: RegistryAuth;
}

/** A service as Swarm reports it. */
export interface ServiceInfo {
  id: string;
  name: string;
  /** Swarm's object version, needed for an update. */
  version: number;
  image: string;
  labels: Record<string, string>;
  replicas: number;
  runningTasks: number;
  /** The last rolling update's state; undefined before the first update. */
  updateState?: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  updateMessage?: string;
  /** When that update started, to tell it from an earlier one. */
  updateStartedAt?: Date;
  /** Ports published on the routing mesh: every node forwards `published` to a task's `target`. */
  ports: { target: number; published: number; protocol: 'tcp' | 'udp' }[];
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

/** This daemon's place in a swarm; `state: 'inactive'` for a plain standalone daemon. */
export interface SwarmState {
  state: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  /** Empty when not in a swarm. */
  nodeId: string;
  /** True on a manager node: the only kind that may create services. */
  isManager: boolean;
}

/** Docker's container states. */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
/** Health as the container's health check reports it; `none` when it has no health check. */
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** A container as listed: what the cheap live checks of a plan need, from one API call. */
export interface ContainerSummary {
  id: string;
  name: string;
  /** The image reference the container was created from, as given. */
  image: string;
  imageId: string;
  labels: Record<string, string>;
  state: ContainerState;
  health: ContainerHealth;
  /** Docker's human status, e.g. "Up 3 minutes (healthy)". */
  status: string;
  created: Date;
  networks: ContainerNetwork[];
  ports: PublishedPort[];
}

/** One network a container is attached to, with its address there. */
export interface ContainerNetwork {
  name: string;
  /** IPv4 address; empty while the container is not running. */
  ip: string;
  aliases: string[];
}

/** A port binding as it is live (host port filled in when Docker chose it). */
export interface PublishedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** Undefined when the port is exposed but not published. */
  hostPort?: number;
  hostIp?: string;
}

/** A container as inspected: the summary plus its run history. */
export interface ContainerDetails extends ContainerSummary {
  startedAt?: Date;
  finishedAt?: Date;
  exitCode: number;
  restartCount: number;
  oomKilled: boolean;
  /** Docker's error for the last start, e.g. a missing executable. Empty when none. */
  error: string;
  /** Output of the latest health checks, oldest first (Docker keeps five). */
  healthLog: Array<{ exitCode: number; output: string; end: Date }>;
}

/** What a container is made of, in Ploy's terms; the adapter translates it to the Engine API. */
export interface ContainerSpec {
  name: string;
  image: string;
  /** Replaces the image's CMD. */
  cmd?: string[];
  /** Replaces the image's ENTRYPOINT. */
  entrypoint?: string[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
  workingDir?: string;
  user?: string;
  ports?: PortSpec[];
  mounts?: MountSpec[];
  /** The first is attached at create, the others before the container starts. */
  networks?: NetworkAttachment[];
  restart?: RestartPolicy;
  healthcheck?: HealthcheckSpec;
  resources?: { cpus?: number; memoryBytes?: number };
  /** Seconds between SIGTERM and SIGKILL when stopped (Docker's default is 10). */
  stopTimeoutSeconds?: number;
  /**
   * Files written into the container after it is created and before it starts: configuration
   * a system container needs, without a bind mount (the Docker host may not be this machine).
   */
  files?: ContainerFile[];
}

/** A file put into a container before it starts. */
export interface ContainerFile {
  /** Absolute path inside the container. */
  path: string;
  content: string;
  /** Default 0o644. */
  mode?: number;
}

/** A port to publish. Without `hostPort`, Docker picks a free one. */
export interface PortSpec {
  containerPort: number;
  protocol?: 'tcp' | 'udp';
  hostPort?: number;
  hostIp?: string;
}

/** A named volume (`type: 'volume'`, source = volume name) or a host path (`bind`). */
export interface MountSpec {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  readOnly?: boolean;
}

/** A network to join, with the extra names the container answers to there (e.g. the app name). */
export interface NetworkAttachment {
  name: string;
  aliases?: string[];
}

/** Docker's restart policies; `maxRetries` only applies to `on-failure`. */
export type RestartPolicy = { name: 'no' | 'always' | 'unless-stopped' } | { name: 'on-failure'; maxRetries?: number };

/** A health check run inside the container by the daemon. */
export interface HealthcheckSpec {
  /** Exec form (`["pg_isready"]`), or a string run by `/bin/sh -c`. Exit 0 means healthy. */
  cmd: string[] | string;
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

/** Which log lines to return. */
export interface LogOptions {
  /** Only the last N lines. */
  tail?: number;
  /** Only lines written at or after this time. */
  since?: Date;
}

/** One line of a container's output (without its newline). */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When the daemon received it. */
  time?: Date;
}

/** How to run an exec. */
export interface ExecOptions {
  env?: Record<string, string>;
  user?: string;
  workingDir?: string;
  /** Gives up waiting (the process may go on running inside the container). */
  signal?: AbortSignal;
}

/** The outcome of an exec. */
export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved in the order written. */
  output: string;
  stdout: string;
  stderr: string;
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

/** A local image. */
export interface ImageInfo {
  id: string;
  repoTags: string[];
  /** `name@sha256:...` for each registry it was pulled from or pushed to; empty for local builds. */
  repoDigests: string[];
  created: Date;
  labels: Record<string, string>;
}

/** Credentials for one registry, as `registries` in ploy.config.yaml gives them. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** The registry host, e.g. `ghcr.io`. */
  serverAddress?: string;
}

/** One message of a pull's progress stream. */
export interface PullProgress {
  status: string;
  /** The layer (or tag) the message is about. */
  id?: string;
  current?: number;
  total?: number;
}

/** How to pull. */
export interface PullOptions {
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

/** What a pull produced. */
export interface PullResult {
  ref: string;
  imageId: string;
  /** The manifest digest the registry served, when it said (so a moved tag is visible). */
  digest?: string;
}

/** How to build. */
export interface BuildOptions {
  /** The name to give the image, e.g. `ploy/web:abc123`. */
  tag: string;
  /** Path of the Dockerfile inside the context (default `Dockerfile`). */
  dockerfile?: string;
  args?: Record<string, string>;
  /** The stage of a multi-stage Dockerfile to stop at. */
  target?: string;
  labels?: Record<string, string>;
  /** Also pull newer versions of the base images. */
  pull?: boolean;
  noCache?: boolean;
  signal?: AbortSignal;
}

/** What a build produced. */
export interface BuildResult {
  imageId: string;
  tag: string;
  /** Every line the builder wrote. */
  log: string[];
}

export * from './container-runtime-errors.js';
