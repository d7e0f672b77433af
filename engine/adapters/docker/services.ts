import type Dockerode from 'dockerode';
import { type LabelFilter, PLOY_LABELS, type ServiceInfo, type ServiceSpec } from '../../ports/container-runtime.js';
import { toHealthcheck } from './container-spec.js';
import { dockerCall } from './errors.js';
import { labelArgs, managed, matches } from './labels.js';

const MS_TO_NS = 1_000_000;

/** Swarm services, in Ploy's terms. */
export class DockerServices {
  constructor(
    private readonly docker: Dockerode,
    private readonly where: string,
  ) {}

  async listServices(labels?: LabelFilter): Promise<ServiceInfo[]> {
    const f = managed(labels);
    const list = await this.call('list services', () =>
      this.docker.listServices({ filters: { label: labelArgs(f) }, status: true }),
    );
    return list.filter((s) => matches(s.Spec?.Labels, f)).map(toServiceInfo);
  }

  async createService(spec: ServiceSpec): Promise<string> {
    const res = await this.call(`create service ${spec.name}`, () =>
      this.docker.createService({ ...toServiceSpec(spec), authconfig: authOf(spec) }),
    );
    return (res as unknown as { id?: string; ID?: string }).id ?? (res as unknown as { ID: string }).ID;
  }

  async updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    await this.call(`update service ${spec.name}`, () =>
      this.docker.getService(id).update({ ...toServiceSpec(spec), version, authconfig: authOf(spec) } as never),
    );
  }

  async removeService(id: string): Promise<void> {
    await this.call(`remove service ${id}`, () => this.docker.getService(id).remove(), [404]);
  }

  private call<T>(op: string, fn: () => Promise<T>, ok: number[] = []): Promise<T> {
    return dockerCall(this.where, op, fn, ok);
  }
}

const authOf = (spec: ServiceSpec) =>
  spec.auth && { username: spec.auth.username, password: spec.auth.password, serveraddress: spec.auth.serverAddress };

function toServiceSpec(spec: ServiceSpec): Dockerode.ServiceSpec {
  const update = {
    Parallelism: 1,
    Order: spec.update.order === 'start-first' ? 'start-first' : 'stop-first',
    FailureAction: spec.update.failureAction,
    Monitor: spec.update.monitorMs * MS_TO_NS,
  };
  return {
    Name: spec.name,
    Labels: { ...spec.labels, [PLOY_LABELS.managed]: 'true' },
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Command: spec.entrypoint,
        Args: spec.cmd,
        Env: spec.env ? Object.entries(spec.env).map(([k, v]) => `${k}=${v}`) : undefined,
        Labels: { ...spec.labels, [PLOY_LABELS.managed]: 'true' },
        Dir: spec.workingDir,
        User: spec.user,
        Mounts: spec.mounts?.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: !!m.readOnly })),
        HealthCheck: spec.healthcheck ? toHealthcheck(spec.healthcheck) : undefined,
      },
      Resources: {
        Limits: {
          NanoCPUs: spec.resources?.cpus ? Math.round(spec.resources.cpus * 1e9) : undefined,
          MemoryBytes: spec.resources?.memoryBytes,
        },
      },
      RestartPolicy: { Condition: spec.restart?.condition ?? 'any' },
      Networks: spec.networks?.map((n) => ({ Target: n.name, Aliases: n.aliases })),
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
    UpdateConfig: update,
    RollbackConfig: { ...update, FailureAction: 'pause' },
    EndpointSpec: {
      Ports: spec.ports?.map((p) => ({
        Protocol: p.protocol ?? 'tcp',
        TargetPort: p.containerPort,
        PublishedPort: p.hostPort,
        PublishMode: 'ingress',
      })),
    },
  };
}

function toServiceInfo(s: Dockerode.Service): ServiceInfo {
  const spec = s.Spec ?? {};
  const task = spec.TaskTemplate as Dockerode.ContainerTaskSpec | undefined;
  return {
    id: s.ID,
    name: spec.Name ?? '',
    version: s.Version?.Index ?? 0,
    // Swarm pins the image to a digest (`name:tag@sha256:…`); the name as given is before the @.
    image: (task?.ContainerSpec?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
    labels: spec.Labels ?? {},
    replicas: spec.Mode?.Replicated?.Replicas ?? 0,
    runningTasks: s.ServiceStatus?.RunningTasks ?? 0,
    updateState: s.UpdateStatus?.State,
    updateMessage: s.UpdateStatus?.Message,
    updateStartedAt: s.UpdateStatus?.StartedAt ? new Date(s.UpdateStatus.StartedAt) : undefined,
    ports: (s.Endpoint?.Ports ?? []).flatMap((p) =>
      p.TargetPort && p.PublishedPort
        ? [
            {
              target: p.TargetPort,
              published: p.PublishedPort,
              protocol: p.Protocol === 'udp' ? ('udp' as const) : ('tcp' as const),
            },
          ]
        : [],
    ),
  };
}
