/**
 * Containers in the container runtime port's terms: what Ploy asks to create (ContainerSpec and
 * its parts), what the daemon reports back (summary, details), and a container's logs and execs.
 */

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
