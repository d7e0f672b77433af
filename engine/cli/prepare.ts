import { loadConfig } from '../config/load-config.js';
import type { EngineConfig } from '../config/types.js';
import type { DesiredState } from '../kinds/desired.js';
import type { Snapshot } from '../load/snapshot.js';
import { desiredFromConfig, SourceUnreadableError, sourceDir } from '../source/desired-from-config.js';
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

/** The source directory of a config, or a one-line CLI error. */
export function sourcePath(config: EngineConfig): string {
  return cliErrors(() => sourceDir(config));
}

/** The desired state of a snapshot (the working directory by default), validated. */
export async function desiredFrom(
  deps: CliDeps,
  config: EngineConfig,
  opts: { secrets: 'resolve' | 'reference'; snapshot?: Snapshot; commit?: CommitInfo } = { secrets: 'resolve' },
): Promise<DesiredState & { commit?: CommitInfo }> {
  return cliErrors(() => desiredFromConfig(config, { ...opts, env: deps.env, validators: deps.validators() }));
}

function cliErrors<T>(fn: () => T): T {
  const wrap = (e: unknown): never => {
    throw e instanceof SourceUnreadableError ? new CliError(e.message) : e;
  };
  try {
    const out = fn();
    return (out instanceof Promise ? out.catch(wrap) : out) as T;
  } catch (e) {
    return wrap(e);
  }
}
