import { connect } from 'node:net';

/** How long the routing mesh gets to accept a connection on a port that Swarm just published. */
const MESH_WAIT_MS = 5_000;
const RETRY_MS = 250;

/** Whether something accepts a TCP connection on 127.0.0.1:port now (within `timeoutMs`). */
function accepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * The mesh ports (of those given) on which this host refuses connections for `MESH_WAIT_MS`.
 * Swarm publishes a service's port on every node and balances it with the kernel's IPVS; on a
 * kernel without IPVS the port is published and Caddy is pointed at it, yet every connection is
 * refused. The deploy itself succeeded, so this is reported, not failed: an honest "the
 * routes of this app answer nothing here", instead of a green apply that serves nothing.
 */
export async function meshRefuses(
  ports: readonly number[],
  sleep: (ms: number) => Promise<void>,
  waitMs = MESH_WAIT_MS,
): Promise<number[]> {
  const refused: number[] = [];
  for (const port of ports) {
    let ok = false;
    for (let waited = 0; !ok && waited <= waitMs; waited += RETRY_MS) {
      ok = await accepts(port, RETRY_MS * 4);
      if (!ok) await sleep(RETRY_MS);
    }
    if (!ok) refused.push(port);
  }
  return refused;
}

/** The sentence a deploy adds when the mesh refuses its routed ports on this host. */
export const meshWarning = (app: string, ports: readonly number[]): string =>
  `the routing mesh refuses connections on this host at port ${ports.join(', ')}, so the routes of ${app} answer nothing here ` +
  `(Swarm's mesh needs the kernel's IPVS, CONFIG_IP_VS; check /proc/sys/net/ipv4/vs)`;
