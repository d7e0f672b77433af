import { existsSync } from 'node:fs';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import { lazyPort } from '../lazy-port.js';
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
export function lazyDockerRuntime(opts: DockerRuntimeOptions = {}): ContainerRuntime {
  let real: Promise<DockerRuntime> | undefined;
  const load = (method: string, args: readonly unknown[]): Promise<DockerRuntime> => {
    if (real) return real;
    const socket = unixSocket(opts.host);
    if (socket !== undefined && !existsSync(socket)) {
      // The error net.connect gives for a socket path that does not exist, mapped as the adapter maps it.
      const err = Object.assign(new Error(`connect ENOENT ${socket}`), {
        code: 'ENOENT',
        errno: -2,
        syscall: 'connect',
        address: socket,
      });
      return Promise.reject(toRuntimeError(err, operation(method, args), describeHost(opts.host)));
    }
    real = import('./docker-runtime.js').then(({ DockerRuntime }) => new DockerRuntime(opts));
    return real;
  };
  return lazyPort<ContainerRuntime>(load, { followLogs: true });
}

/** `new LazyDockerRuntime(opts)`: the same as lazyDockerRuntime(opts). */
export const LazyDockerRuntime = class {
  constructor(opts: DockerRuntimeOptions = {}) {
    return lazyDockerRuntime(opts);
  }
} as new (opts?: DockerRuntimeOptions) => ContainerRuntime;
export type LazyDockerRuntime = ContainerRuntime;

/** What a call attempted, for the error's `operation`: the method and what it names (`inspect web-1`). */
function operation(method: string, args: readonly unknown[]): string {
  const [first] = args;
  const name = typeof first === 'string' ? first : (first as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? `${method} ${name}` : method;
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
