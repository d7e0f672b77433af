import type { ValidateFunction } from 'ajv';
import type { EngineConfig } from '../config/types.js';
import { buildDesired, type DesiredState } from '../kinds/desired.js';
import type { Kind } from '../model/resource.js';
import { type EnvPolicy, envPolicy } from '../load/env-policy.js';
import { secretLookup } from '../load/secrets.js';
import { parseSnapshot } from '../load/parse-parallel.js';
import { readDirectorySnapshot, type Snapshot } from '../load/snapshot.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { CommitInfo } from './git-snapshot.js';

/** The source cannot be read at all (missing directory, permissions): a fault, not a config problem. */
export class SourceUnreadableError extends Error {}

/** The local directory of a config's source; git sources are followed by `ploy serve`. */
export function sourceDir(config: EngineConfig): string {
  if ('path' in config.source) return config.source.path;
  throw new SourceUnreadableError(
    'The config names a git source; pass --source DIR to read a checkout, or run ploy serve to follow the repository.',
  );
}

export interface DesiredFromConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  validators: Record<Kind, ValidateFunction>;
  secrets: 'resolve' | 'reference';
  /** A snapshot already read (a git commit); by default the source directory is read now. */
  snapshot?: Snapshot;
  commit?: CommitInfo;
  /** Where the snapshot's paths are rooted (a git source's folder); defaults to the source dir. */
  root?: string;
  /** Which variables `${env:}` may read; by default the config's `env` (ploy plan --base passes the base's). */
  envPolicy?: EnvPolicy;
}

/** load → validate for the source a config names: the desired state and every problem in it. */
export async function desiredFromConfig(
  config: EngineConfig,
  opts: DesiredFromConfigOptions,
): Promise<DesiredState & { commit?: CommitInfo }> {
  const root = opts.root ?? sourceDir(config);
  let snapshot = opts.snapshot;
  let prior: Diagnostic[] = [];
  if (!snapshot) {
    try {
      const read = await readDirectorySnapshot(root);
      snapshot = read.snapshot;
      prior = read.diagnostics;
    } catch (e) {
      throw new SourceUnreadableError(
        `Cannot read the source directory ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  await parseSnapshot(snapshot.files);
  const desired = buildDesired(
    snapshot,
    {
      sourceRoot: root,
      dockerMode: config.docker.mode,
      proxyConfigured: config.proxy !== undefined,
      validators: opts.validators,
      interpolation: {
        env: opts.env,
        envPolicy: opts.envPolicy ?? envPolicy(config.env),
        secret: secretLookup(config.secrets.dir, opts.env),
        secrets: opts.secrets,
      },
    },
    prior,
  );
  return { ...desired, commit: opts.commit };
}
