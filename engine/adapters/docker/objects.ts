import type Dockerode from 'dockerode';
import type { ImageInfo, LabelFilter, NetworkInfo, NetworkSpec, VolumeInfo, VolumeSpec } from '../../ports/container-runtime.js';
import { PLOY_LABELS } from '../../ports/container-runtime.js';
import { dockerCall } from './errors.js';
import { labelArgs, managed, matches } from './labels.js';

/** Networks, volumes and images: the objects around containers, all by label. */
export class DockerObjects {
  constructor(
    private readonly docker: Dockerode,
    private readonly where: string,
  ) {}

  async listNetworks(labels?: LabelFilter): Promise<NetworkInfo[]> {
    const f = managed(labels);
    const list = await this.call('list networks', () => this.docker.listNetworks({ filters: { label: labelArgs(f) } }));
    return list.filter((n) => matches(n.Labels, f)).map(toNetwork);
  }

  async createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    const op = `create network ${spec.name}`;
    return this.call(op, async () => {
      const net = await this.docker.createNetwork({
        Name: spec.name,
        Driver: spec.driver ?? 'bridge',
        Labels: { ...spec.labels, [PLOY_LABELS.managed]: 'true' },
        Internal: spec.internal,
        Attachable: spec.attachable,
        // Docker otherwise allows two networks with one name, and then neither can be used by name.
        CheckDuplicate: true,
      });
      return toNetwork(await net.inspect());
    });
  }

  async removeNetwork(nameOrId: string): Promise<void> {
    await this.call(`remove network ${nameOrId}`, () => this.docker.getNetwork(nameOrId).remove(), [404]);
  }

  async listVolumes(labels?: LabelFilter): Promise<VolumeInfo[]> {
    const f = managed(labels);
    const res = await this.call('list volumes', () => this.docker.listVolumes({ filters: { label: labelArgs(f) } }));
    return (res.Volumes ?? []).filter((v) => matches(v.Labels, f)).map(toVolume);
  }

  async createVolume(spec: VolumeSpec): Promise<VolumeInfo> {
    const op = `create volume ${spec.name}`;
    return this.call(op, async () => {
      const volume = await this.docker.createVolume({
        Name: spec.name,
        Driver: spec.driver ?? 'local',
        DriverOpts: spec.driverOpts,
        Labels: { ...spec.labels, [PLOY_LABELS.managed]: 'true' },
      });
      return toVolume(await volume.inspect());
    });
  }

  async removeVolume(name: string): Promise<void> {
    await this.call(`remove volume ${name}`, () => this.docker.getVolume(name).remove(), [404]);
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    const image = await this.call(`inspect image ${ref}`, () => this.docker.getImage(ref).inspect(), [404]);
    if (!image) return undefined;
    return {
      id: image.Id,
      repoTags: image.RepoTags ?? [],
      repoDigests: image.RepoDigests ?? [],
      created: new Date(image.Created),
      labels: image.Config?.Labels ?? {},
    };
  }

  async removeImage(ref: string, force = false): Promise<void> {
    await this.call(`remove image ${ref}`, () => this.docker.getImage(ref).remove({ force }), [404]);
  }

  private call<T>(op: string, fn: () => Promise<T>, ok: number[] = []): Promise<T> {
    return dockerCall(this.where, op, fn, ok);
  }
}

function toNetwork(n: Dockerode.NetworkInspectInfo): NetworkInfo {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    internal: !!n.Internal,
    labels: n.Labels ?? {},
  };
}

function toVolume(v: Dockerode.VolumeInspectInfo): VolumeInfo {
  return { name: v.Name, driver: v.Driver, mountpoint: v.Mountpoint, labels: v.Labels ?? {} };
}
