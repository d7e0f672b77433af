import type { EngineConfig } from '../../config/types.js';
import { APP_LABELS } from '../../kinds/app/app-container.js';
import { replicaOf } from '../../kinds/app/replica.js';
import {
  type ContainerRuntime,
  type ContainerSummary,
  PLOY_LABELS,
  RuntimeUnavailableError,
} from '../../ports/container-runtime.js';
import type { CliDeps } from '../deps.js';
import { CliError } from '../output.js';
import { type CommonFlags, configFrom } from '../prepare.js';

/** The config and a Docker Engine that answers, or a one-line error saying which is missing. */
export async function connect(deps: CliDeps, flags: CommonFlags): Promise<{ config: EngineConfig; runtime: ContainerRuntime }> {
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) throw new CliError(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  if (!deps.containers) throw new CliError('this command needs Docker, and no Docker runtime is configured in this build');
  const runtime = await deps.containers(config);
  try {
    await runtime.ping();
  } catch (e) {
    if (e instanceof RuntimeUnavailableError) throw new CliError(e.message);
    throw e;
  }
  return { config, runtime };
}

/** An app's containers (replica order), or an error naming the app when it has none. */
export async function appContainers(runtime: ContainerRuntime, app: string): Promise<ContainerSummary[]> {
  const found = await runtime.listManaged({ [PLOY_LABELS.app]: app, [APP_LABELS.role]: 'app' });
  if (found.length === 0) throw new CliError(`app ${app} has no containers on this Docker host (is it deployed?)`);
  return found.sort((a, b) => replicaOf(a) - replicaOf(b));
}
