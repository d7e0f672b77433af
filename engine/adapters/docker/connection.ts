import type { DockerOptions } from 'dockerode';

/**
 * dockerode connection options for a `docker.host` value: `unix:///path` or a bare socket path,
 * `tcp://host:port` (https when the port is 2376, as the docker CLI does), `http(s)://`,
 * `ssh://user@host`, or `npipe://`. Undefined leaves dockerode to its defaults (DOCKER_HOST,
 * then /var/run/docker.sock). Fields the other transport would use are cleared explicitly:
 * dockerode merges these over the ones it derives from DOCKER_HOST.
 */
export function dockerConnectionOptions(host: string | undefined): DockerOptions {
  if (!host) return {};
  if (host.startsWith('/')) return unix(host);
  const url = new URL(host.includes('://') ? host : `tcp://${host}`);
  switch (url.protocol) {
    case 'unix:':
      return unix(url.pathname);
    case 'npipe:':
      return unix(host.slice('npipe://'.length) || '//./pipe/docker_engine');
    case 'ssh:':
      return {
        host: url.hostname,
        port: url.port || 22,
        username: url.username || undefined,
        protocol: 'ssh',
        socketPath: undefined,
      };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = url.protocol === 'https:' || (url.protocol === 'tcp:' && url.port === '2376');
      return {
        host: url.hostname,
        port: url.port || (tls ? 2376 : 2375),
        protocol: tls ? 'https' : 'http',
        socketPath: undefined,
      };
    }
    default:
      throw new Error(`docker.host "${host}" is not a unix://, tcp://, http(s)://, ssh:// or npipe:// address`);
  }
}

const unix = (socketPath: string): DockerOptions => ({
  socketPath,
  host: undefined,
  port: undefined,
  protocol: undefined,
});

/** How to name the daemon's address in messages. */
export function describeHost(host: string | undefined): string {
  return host || process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}
