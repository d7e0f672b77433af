/** One published port of an app, parsed from Docker's `[ip:]host:container[/proto]` syntax. */
export interface PortBinding {
  ip: string | undefined;
  /** Undefined when Docker picks a host port (`"3000"`). */
  hostPort: number | undefined;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

const PORT = /^(?:(?:\[([0-9a-fA-F:]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/;

export function parsePort(text: string): PortBinding | undefined {
  const m = PORT.exec(text);
  if (!m) return undefined;
  const hostPort = m[3] === undefined ? undefined : Number(m[3]);
  const containerPort = Number(m[4]);
  if ((hostPort !== undefined && (hostPort < 1 || hostPort > 65535)) || containerPort < 1 || containerPort > 65535) {
    return undefined;
  }
  return { ip: m[1] ?? m[2], hostPort, containerPort, protocol: (m[5] as 'tcp' | 'udp') ?? 'tcp' };
}

const WILDCARD = new Set([undefined, '0.0.0.0', '::']);

/** Two bindings collide when they share host port and protocol on overlapping addresses. */
export function portsCollide(a: PortBinding, b: PortBinding): boolean {
  if (a.hostPort === undefined || a.hostPort !== b.hostPort || a.protocol !== b.protocol) return false;
  return WILDCARD.has(a.ip) || WILDCARD.has(b.ip) || a.ip === b.ip;
}

export const describePort = (p: PortBinding) => `${p.ip ? `${p.ip}:` : ''}${p.hostPort}/${p.protocol}`;
