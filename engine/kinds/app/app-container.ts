import { isAbsolute, resolve } from 'node:path';
import {
  type ContainerSpec,
  type HealthcheckSpec,
  type MountSpec,
  PLOY_LABELS,
  type RestartPolicy,
} from '../../ports/container-runtime.js';
import type { AppSpec } from '../spec-types.generated.js';
import { list } from '../shared.js';
import { parseDuration, parseMemory } from '../../model/units.js';
import { parsePort } from './ports.js';

/** The network an app joins when it names none: every such app reaches the others by name. */
export const DEFAULT_NETWORK = 'ploy';

/** Labels beyond PLOY_LABELS that Ploy's app containers carry. */
export const APP_LABELS = { replica: 'ploy.replica', role: 'ploy.role' } as const;

export interface AppContainerInput {
  app: string;
  /** The app's spec with defaults and with secrets revealed: only ever handed to Docker. */
  spec: AppSpec;
  image: string;
  containerName: string;
  replica: number;
  hash: string;
  revision: string;
  /** Relative bind-mount sources resolve against the folder of the app's file. */
  baseDir: string;
}

/** The networks an app's containers join. */
export const appNetworks = (spec: AppSpec): string[] => {
  const nets = list<string>(spec.networks);
  return nets.length > 0 ? nets : [DEFAULT_NETWORK];
};

/** Named volumes (not host paths) an app mounts: Ploy creates these before the containers. */
export function namedVolumes(spec: AppSpec): string[] {
  return list<string>(spec.volumes)
    .map((v) => String(v).split(':')[0])
    .filter((source) => source && !source.startsWith('/') && !source.startsWith('.') && !source.startsWith('~'));
}

/** An app's command as Docker wants it: a string runs through /bin/sh -c, like Compose's shell form. */
export const commandOf = (command: unknown): string[] | undefined =>
  typeof command === 'string' ? ['/bin/sh', '-c', command] : Array.isArray(command) ? command.map(String) : undefined;

/** One replica of an app as a container spec. Pure. */
export function appContainerSpec(input: AppContainerInput): ContainerSpec {
  const { spec } = input;
  const resources = spec.resources ?? {};
  return {
    name: input.containerName,
    image: input.image,
    cmd: commandOf(spec.command),
    env: envOf(spec.env),
    labels: {
      [PLOY_LABELS.app]: input.app,
      [PLOY_LABELS.specHash]: input.hash,
      [PLOY_LABELS.revision]: input.revision,
      [APP_LABELS.replica]: String(input.replica),
      [APP_LABELS.role]: 'app',
    },
    ports: list<string>(spec.ports).flatMap((text) => {
      const p = parsePort(String(text));
      return p ? [{ containerPort: p.containerPort, protocol: p.protocol, hostPort: p.hostPort, hostIp: p.ip }] : [];
    }),
    mounts: mountsOf(spec.volumes, input.baseDir),
    networks: appNetworks(spec).map((name) => ({ name, aliases: [input.app] })),
    restart: restartOf(String(spec.restart ?? 'unless-stopped')),
    healthcheck: dockerHealthcheck(spec.healthcheck),
    resources: {
      cpus: resources.cpus,
      memoryBytes: resources.memory ? parseMemory(resources.memory) : undefined,
    },
  };
}

export const envOf = (env: AppSpec['env']): Record<string, string> =>
  Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));

function mountsOf(volumes: unknown, baseDir: string): MountSpec[] {
  return list<string>(volumes).map((text) => {
    const [source, target, options = ''] = String(text).split(':');
    const readOnly = options.split(',').includes('ro');
    const bind = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
    return bind
      ? { type: 'bind', source: isAbsolute(source) ? source : resolve(baseDir, source), target, readOnly }
      : { type: 'volume', source, target, readOnly };
  });
}

function restartOf(name: string): RestartPolicy {
  return name === 'on-failure' ? { name: 'on-failure' } : { name: name as 'no' | 'always' | 'unless-stopped' };
}

/** A `cmd` health check runs inside the container, so Docker runs it; `http` is probed by Ploy. */
function dockerHealthcheck(h: AppSpec['healthcheck']): HealthcheckSpec | undefined {
  if (!h?.cmd) return undefined;
  return {
    cmd: Array.isArray(h.cmd) ? h.cmd.map(String) : String(h.cmd),
    intervalMs: ms(h.interval),
    timeoutMs: ms(h.timeout),
    retries: h.retries,
    startPeriodMs: ms(h.startPeriod),
  };
}

const ms = (d: string | undefined) => (d ? parseDuration(d) : undefined);
