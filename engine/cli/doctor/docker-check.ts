import { RuntimeUnavailableError } from '../../ports/container-runtime-errors.js';
import { type Check, type CheckOutcome, fail, ok } from './check.js';

const START =
  'Start Docker (sudo systemctl start docker), or point docker.host in ploy.config.yaml (or DOCKER_HOST) at the daemon. ' +
  'Without Docker, apps wait as pending; validate, plan, monitors and shell/http jobs still work.';
const PERMISSION =
  'Add this user to the docker group (sudo usermod -aG docker "$USER", then log in again), or run Ploy as a user allowed to use the socket.';

/** The daemon's address as the CLI will use it. */
const where = (host: string | undefined, env: Readonly<Record<string, string | undefined>>) =>
  host || env.DOCKER_HOST || 'unix:///var/run/docker.sock';

/**
 * Docker: the socket is there and this user may use it, the daemon answers, its version, and
 * in swarm mode that it is a manager of an active swarm. Reads the daemon's clock on the way.
 */
export const dockerCheck: Check = async ({ deps, config, signal }): Promise<CheckOutcome> => {
  const at = where(config.docker.host, deps.env);
  if (!deps.containers) return { lines: [fail('docker', 'not available in this build', START)] };
  const runtime = await deps.containers(config);
  try {
    await runtime.ping(signal);
  } catch (err) {
    if (!(err instanceof RuntimeUnavailableError)) throw err;
    const code = String((err.cause as { code?: unknown } | undefined)?.code ?? '');
    if (code === 'EACCES' || code === 'EPERM')
      return { lines: [fail('docker', `permission denied on ${at}: this user may not use the Docker socket`, PERMISSION)] };
    if (code === 'ENOENT') return { lines: [fail('docker', `no Docker socket at ${at}`, START)] };
    return { lines: [fail('docker', err.message, START)] };
  }
  const info = await runtime.info();
  const ours = deps.clock.now();
  const clocks = info.systemTime ? [{ whose: 'Docker', theirs: info.systemTime, ours }] : [];
  const version = `Docker ${info.serverVersion} (API ${info.apiVersion}) at ${at}`;
  if (config.docker.mode === 'swarm') {
    if (info.swarm.state !== 'active')
      return {
        lines: [
          fail(
            'docker',
            `${version}: docker.mode is swarm, but this daemon's swarm is ${info.swarm.state}`,
            'Run docker swarm init (or join this node to the swarm), or set docker.mode: standalone.',
          ),
        ],
        clocks,
      };
    if (!info.swarm.isManager)
      return {
        lines: [
          fail(
            'docker',
            `${version}: a swarm worker; only a manager can create services`,
            'Point docker.host at a manager node, or promote this one (docker node promote).',
          ),
        ],
        clocks,
      };
    return { lines: [ok('docker', `${version}, swarm manager`)], clocks };
  }
  return { lines: [ok('docker', `${version}, standalone`)], clocks };
};
