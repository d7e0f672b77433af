import type { ContainerCreateOptions } from 'dockerode';
import { type ContainerSpec, type HealthcheckSpec, PLOY_LABELS } from '../../ports/container-runtime.js';

const NS_PER_MS = 1_000_000;

/**
 * Translates Ploy's container spec into dockerode's create options. Only the first network is
 * attached here: daemons older than API 1.44 accept one endpoint at create, so the runtime
 * connects the others before starting the container. `ploy.managed=true` is always added.
 */
export function toCreateOptions(spec: ContainerSpec): ContainerCreateOptions {
  const [first] = spec.networks ?? [];
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of spec.ports ?? []) {
    const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    const binding = { HostIp: p.hostIp ?? '', HostPort: p.hostPort === undefined ? '' : String(p.hostPort) };
    bindings[key] = [...(bindings[key] ?? []), binding];
  }
  const restart = spec.restart ?? { name: 'no' };
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Env: spec.env ? Object.entries(spec.env).map(([k, v]) => `${k}=${v}`) : undefined,
    Labels: { ...spec.labels, [PLOY_LABELS.managed]: 'true' },
    WorkingDir: spec.workingDir,
    User: spec.user,
    ExposedPorts: spec.ports?.length ? exposed : undefined,
    Healthcheck: spec.healthcheck ? toHealthcheck(spec.healthcheck) : undefined,
    StopTimeout: spec.stopTimeoutSeconds,
    HostConfig: {
      PortBindings: spec.ports?.length ? bindings : undefined,
      Mounts: spec.mounts?.map((m) => ({
        Type: m.type,
        Source: m.source,
        Target: m.target,
        ReadOnly: !!m.readOnly,
      })),
      NetworkMode: first?.name,
      RestartPolicy: {
        Name: restart.name,
        MaximumRetryCount: restart.name === 'on-failure' ? (restart.maxRetries ?? 0) : 0,
      },
      NanoCpus: spec.resources?.cpus ? Math.round(spec.resources.cpus * 1e9) : undefined,
      Memory: spec.resources?.memoryBytes,
    },
    NetworkingConfig: first
      ? { EndpointsConfig: { [first.name]: { Aliases: first.aliases?.length ? first.aliases : undefined } } }
      : undefined,
  };
}

/** Docker's health check: exec form as `CMD`, a string as `CMD-SHELL`; durations in nanoseconds. */
export function toHealthcheck(h: HealthcheckSpec) {
  const ns = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * NS_PER_MS));
  return {
    Test: typeof h.cmd === 'string' ? ['CMD-SHELL', h.cmd] : ['CMD', ...h.cmd],
    Interval: ns(h.intervalMs),
    Timeout: ns(h.timeoutMs),
    Retries: h.retries,
    StartPeriod: ns(h.startPeriodMs),
  };
}
