import { loadConfig } from '../config/load-config.js';
import { knownSecrets } from '../config/known-secrets.js';
import type { EngineConfig } from '../config/types.js';
import type { DesiredState } from '../kinds/desired.js';
import type { EnvPolicy } from '../load/env-policy.js';
import { sensitiveValues } from '../model/sensitive.js';
import type { Snapshot } from '../load/snapshot.js';
import { desiredFromConfig, SourceUnreadableError, sourceDir } from '../source/desired-from-config.js';
import type { CommitInfo } from '../source/git-snapshot.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { CliDeps } from './deps.js';
import { CliError } from './output.js';

export interface CommonFlags {
  config?: string;
  source?: string;
}

/** How ploy.config.yaml's own `${env:}`/`${secret:}` are read; `reference` for ploy plan --base. */
export type ConfigInterpolation = 'resolve' | 'reference';

/** Reads ploy.config.yaml (with --config/--source); config problems end the command. */
export function configFrom(
  deps: CliDeps,
  flags: CommonFlags,
  interpolation: ConfigInterpolation = 'resolve',
): { config?: EngineConfig; diagnostics: Diagnostic[] } {
  const loaded = loadConfig({
    configPath: flags.config,
    sourceOverride: flags.source,
    cwd: deps.cwd,
    env: deps.env,
    validator: deps.validators().config,
    interpolation,
  });
  // Before the store opens or anything runs: every secret a resource could reference is known here.
  // Read by reference, a setting still holds its `${...}` as written: that text is no secret.
  const resolved = (v: string) => interpolation === 'resolve' || !/\$\{(env|secret):/.test(v);
  if (loaded.config) deps.scrubber?.add(knownSecrets(loaded.config, deps.env).filter(resolved));
  return loaded;
}

/** The source directory of a config, or a one-line CLI error. */
export function sourcePath(config: EngineConfig): string {
  return cliErrors(() => sourceDir(config));
}

/** The desired state of a snapshot (the working directory by default), validated. */
export async function desiredFrom(
  deps: CliDeps,
  config: EngineConfig,
  opts: { secrets: 'resolve' | 'reference'; envPolicy?: EnvPolicy; snapshot?: Snapshot; commit?: CommitInfo } = {
    secrets: 'resolve',
  },
): Promise<DesiredState & { commit?: CommitInfo }> {
  const desired = await cliErrors(() => desiredFromConfig(config, { ...opts, env: deps.env, validators: deps.validators() }));
  // By reference (plan --base) a Sensitive holds its template, which is no secret to mask.
  if (opts.secrets === 'resolve') deps.scrubber?.add(sensitiveValues(desired.resources));
  return desired;
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
