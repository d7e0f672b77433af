import type { ContainerInfo, ContainerInspectInfo } from 'dockerode';
import type {
  ContainerDetails,
  ContainerHealth,
  ContainerNetwork,
  ContainerState,
  ContainerSummary,
  PublishedPort,
} from '../../ports/container-runtime.js';

const STATES = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const state = (s: string | undefined): ContainerState => (STATES.has(s as ContainerState) ? (s as ContainerState) : 'dead');

/** The list API has no health field: Docker appends it to the status text, e.g. "Up 2s (health: starting)". */
export function healthFromStatus(status: string): ContainerHealth {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return 'none';
}

type Endpoints = Record<string, { IPAddress?: string; Aliases?: string[] | null } | undefined> | undefined;
const networks = (n: Endpoints): ContainerNetwork[] =>
  Object.entries(n ?? {}).map(([name, ep]) => ({
    name,
    ip: ep?.IPAddress ?? '',
    aliases: ep?.Aliases ?? [],
  }));

const protocol = (p: string): PublishedPort['protocol'] => (p === 'udp' || p === 'sctp' ? p : 'tcp');

/** Maps one entry of `GET /containers/json`. */
export function toSummary(c: ContainerInfo): ContainerSummary {
  return {
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    labels: c.Labels ?? {},
    state: state(c.State),
    health: healthFromStatus(c.Status ?? ''),
    status: c.Status ?? '',
    created: new Date(c.Created * 1000),
    networks: networks(c.NetworkSettings?.Networks as Endpoints),
    ports: (c.Ports ?? []).map((p) => ({
      containerPort: p.PrivatePort,
      protocol: protocol(p.Type),
      hostPort: p.PublicPort || undefined,
      hostIp: p.IP || undefined,
    })),
  };
}

/** Docker's zero time ("0001-01-01T00:00:00Z") means "never". */
const date = (s: string | undefined): Date | undefined => (!s || s.startsWith('0001-') ? undefined : new Date(s));

/** Maps `GET /containers/{id}/json`. */
export function toDetails(c: ContainerInspectInfo): ContainerDetails {
  const s = c.State;
  const health = s.Health?.Status;
  const ports: PublishedPort[] = [];
  for (const [key, binds] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    const [port, proto] = key.split('/');
    const base = { containerPort: Number(port), protocol: protocol(proto ?? 'tcp') };
    if (!binds?.length) ports.push(base);
    for (const b of binds ?? [])
      ports.push({ ...base, hostPort: Number(b.HostPort) || undefined, hostIp: b.HostIp || undefined });
  }
  const log = (s.Health as { Log?: Array<{ ExitCode: number; Output: string; End: string }> } | undefined)?.Log ?? [];
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config.Image,
    imageId: c.Image,
    labels: c.Config.Labels ?? {},
    state: state(s.Status),
    health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : 'none',
    status: s.Status,
    created: new Date(c.Created),
    networks: networks(c.NetworkSettings?.Networks as Endpoints),
    ports,
    startedAt: date(s.StartedAt),
    finishedAt: date(s.FinishedAt),
    exitCode: s.ExitCode,
    restartCount: c.RestartCount,
    oomKilled: s.OOMKilled,
    error: s.Error ?? '',
    healthLog: log.map((l) => ({ exitCode: l.ExitCode, output: l.Output, end: new Date(l.End) })),
  };
}
