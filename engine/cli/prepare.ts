import { loadConfig } from '../config/load-config.js';
import type { EngineConfig } from '../config/types.js';
import { buildDesired, type DesiredState } from '../kinds/desired.js';
import { secretLookup } from '../load/secrets.js';
import { readDirectorySnapshot, type Snapshot } from '../load/snapshot.js';
import type { CommitInfo } from '../source/git-snapshot.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import type { CliDeps } from './deps.js';
import { CliError } from './output.js';

export interface CommonFlags {
  config?: string;
  source?: string;
}

/** Reads ploy.config.yaml (with --config/--source); config problems end the command. */
export function configFrom(deps: CliDeps, flags: CommonFlags): { config?: EngineConfig; diagnostics: Diagnostic[] } {
  return loadConfig({
    configPath: flags.config,
    sourceOverride: flags.source,
    cwd: deps.cwd,
    env: deps.env,
    validator: deps.validators().config,
  });
}

/** The source directory of a config: only local directories can be read outside `ploy serve`. */
export function sourcePath(config: EngineConfig): string {
  if ('path' in config.source) return config.source.path;
  throw new CliError('The config names a git source; pass --source DIR to read a checkout, or run ploy serve to follow the repository.');
}

/** The desired state of a snapshot (the working directory by default), validated. */
export async function desiredFrom(
  deps: CliDeps,
  config: EngineConfig,
  opts: { secrets: 'resolve' | 'reference'; snapshot?: Snapshot; commit?: CommitInfo } = { secrets: 'resolve' },
): Promise<DesiredState & { commit?: CommitInfo }> {
  const root = sourcePath(config);
  let snapshot = opts.snapshot;
  let prior: Diagnostic[] = [];
  if (!snapshot) {
    try {
      const read = await readDirectorySnapshot(root);
      snapshot = read.snapshot;
      prior = read.diagnostics;
    } catch (e) {
      throw new CliError(`Cannot read the source directory ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const desired = buildDesired(
    snapshot,
    {
      sourceRoot: root,
      dockerMode: config.docker.mode,
      proxyConfigured: config.proxy !== undefined,
      validators: deps.validators(),
      interpolation: { env: deps.env, secret: secretLookup(config.secrets.dir, deps.env), secrets: opts.secrets },
    },
    prior,
  );
  return { ...desired, commit: opts.commit };
}
