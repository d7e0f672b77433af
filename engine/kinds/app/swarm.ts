import type { Clock } from '../../ports/clock.js';
import {
  type ContainerRuntime,
  PLOY_LABELS,
  type RegistryAuth,
  type ServiceInfo,
  type ServiceSpec,
} from '../../ports/container-runtime.js';
import type { AppSpec } from '../spec-types.generated.js';
import { parseDuration } from '../../model/units.js';
import { APP_LABELS, type AppContainerInput, appContainerSpec } from './app-container.js';
import type { RolloutResult } from './rollout.js';
import { routedPorts } from './routing.js';

const POLL_MS = 500;

/**
 * An app as a Swarm service: the same container template, Swarm's own rolling update (one
 * task at a time, start-first or stop-first, rolled back or paused on failure, watched for
 * `update.monitor`). An `http` health check becomes a check inside the container (wget or
 * curl), since in a swarm Ploy cannot reach every task from its host. Pure.
 */
export function appServiceSpec(
  input: Omit<AppContainerInput, 'containerName' | 'replica'> & { order: 'start-first' | 'stop-first'; auth?: RegistryAuth },
): ServiceSpec {
  const { spec } = input;
  const c = appContainerSpec({ ...input, containerName: input.app, replica: 0 });
  // A routed port is published on the routing mesh (Swarm picks the port and keeps it across
  // updates): the proxy reaches the service there, whichever node its tasks run on.
  const published = new Set((c.ports ?? []).map((p) => p.containerPort));
  const ports = [
    ...(c.ports ?? []),
    ...routedPorts(spec)
      .filter((p) => !published.has(p))
      .map((containerPort) => ({ containerPort, protocol: 'tcp' as const })),
  ];
  const labels = { ...c.labels };
  delete labels[APP_LABELS.replica];
  const update = spec.update ?? {};
  return {
    ...c,
    name: input.app,
    labels,
    ports: ports.length ? ports : undefined,
    healthcheck: c.healthcheck ?? httpCheckInside(spec),
    replicas: typeof spec.replicas === 'number' ? spec.replicas : 1,
    restart: { condition: spec.restart === 'no' ? 'none' : spec.restart === 'on-failure' ? 'on-failure' : 'any' },
    update: {
      order: input.order,
      failureAction: update.onFailure === 'pause' ? 'pause' : 'rollback',
      monitorMs: parseDuration(update.monitor ?? '10s') ?? 10_000,
    },
    auth: input.auth,
  };
}

function httpCheckInside(spec: AppSpec): ServiceSpec['healthcheck'] {
  const hc = spec.healthcheck as
    | { http?: { port: number; path?: string }; interval?: string; timeout?: string; retries?: number; startPeriod?: string }
    | undefined;
  if (!hc?.http) return undefined;
  const url = `http://127.0.0.1:${hc.http.port}${hc.http.path ?? '/'}`;
  const ms = (d?: string) => (d ? parseDuration(d) : undefined);
  return {
    cmd: `wget -q -O /dev/null ${url} || curl -fsS -o /dev/null ${url}`,
    intervalMs: ms(hc.interval),
    timeoutMs: ms(hc.timeout),
    retries: hc.retries,
    startPeriodMs: ms(hc.startPeriod),
  };
}

/** How long a service rollout may take: each replica's health deadline and monitor time, plus slack for scheduling. */
export function rolloutTimeoutMs(spec: AppSpec): number {
  const hc = spec.healthcheck;
  const d = (t: string | undefined, fallback: number) => (t ? (parseDuration(t) ?? fallback) : fallback);
  const health = hc ? d(hc.startPeriod, 0) + (hc.retries ?? 3) * (d(hc.interval, 10_000) + d(hc.timeout, 5_000)) : 0;
  const monitor = d(spec.update?.monitor, 10_000);
  const replicas = typeof spec.replicas === 'number' ? Math.max(1, spec.replicas) : 1;
  return replicas * (health + monitor) + 60_000;
}

/** An app's service, or undefined. */
export async function appService(runtime: ContainerRuntime, app: string): Promise<ServiceInfo | undefined> {
  return (await runtime.listServices({ [PLOY_LABELS.app]: app }))[0];
}

/**
 * Creates or updates the service and follows Swarm until the rollout settles: all tasks
 * running (create, scale), the update `completed`, or Swarm's own `rollback_completed` —
 * a failed deployment, reported as rolled back, never retried as drift.
 */
export async function deployService(
  runtime: ContainerRuntime,
  svc: ServiceSpec,
  existing: ServiceInfo | undefined,
  opts: { signal?: AbortSignal; timeoutMs: number; clock: Clock },
): Promise<RolloutResult> {
  const nowMs = () => opts.clock.now().getTime();
  const started = nowMs();
  if (existing) await runtime.updateService(existing.id, existing.version, svc);
  else await runtime.createService(svc);
  const hash = svc.labels?.[PLOY_LABELS.specHash];
  const rolling = existing !== undefined && existing.labels[PLOY_LABELS.specHash] !== hash;
  const deadline = started + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, containers: [], error: 'stopped waiting: the engine is shutting down' };
    const info = await appService(runtime, svc.name);
    if (!info) return { ok: false, containers: [], error: `service ${svc.name} disappeared during the rollout` };
    // The update of this call, not one that finished before it (Swarm keeps the last status).
    const current = info.updateStartedAt !== undefined && info.updateStartedAt.getTime() >= started - 1_000;
    const state = rolling && current ? info.updateState : undefined;
    if (state === 'rollback_completed' || state === 'rollback_paused') {
      return {
        ok: false,
        containers: [svc.name],
        rolledBack: true,
        error: `Swarm rolled the update back${info.updateMessage ? `: ${info.updateMessage}` : ''}`,
      };
    }
    if (state === 'paused') {
      return {
        ok: false,
        containers: [svc.name],
        error: `Swarm paused the update${info.updateMessage ? `: ${info.updateMessage}` : ''}`,
      };
    }
    const settled = rolling ? state === 'completed' : true;
    if (settled && info.runningTasks >= svc.replicas) return { ok: true, containers: [svc.name] };
    if (nowMs() > deadline) {
      return {
        ok: false,
        containers: [svc.name],
        error: `not settled after ${Math.round((nowMs() - started) / 1000)} s: ${info.runningTasks} of ${svc.replicas} tasks running`,
      };
    }
    await opts.clock.sleep(POLL_MS);
  }
}

/** The plan's live check of a service, like liveDrift for containers. Swarm's own rollback is not drift. */
export function liveServiceDrift(spec: AppSpec, hash: string, svc: ServiceInfo | undefined): string | undefined {
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (!svc) return replicas > 0 ? 'drift: no service is there (removed outside Ploy?)' : undefined;
  const problems: string[] = [];
  if (svc.labels[PLOY_LABELS.specHash] !== hash)
    problems.push(`service ${svc.name} was changed outside Ploy (spec hash differs)`);
  if (svc.replicas !== replicas) problems.push(`service ${svc.name} was scaled to ${svc.replicas} outside Ploy`);
  else if (svc.runningTasks < replicas && svc.updateState !== 'updating') {
    problems.push(`${svc.runningTasks} of ${replicas} tasks running`);
  }
  return problems.length ? `drift: ${problems.join('; ')}` : undefined;
}
