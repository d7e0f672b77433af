import type { CliDeps } from '../deps.js';
import { CliError } from '../output.js';
import type { CommonFlags } from '../prepare.js';
import { appContainers, connect } from './app-containers.js';
import { replicaOf } from '../../kinds/app/replica.js';

export interface ExecFlags extends CommonFlags {
  replica?: string;
}

/**
 * `ploy exec APP -- CMD...`: runs a command in a running container of the app (the first
 * replica, or `--replica N`), chosen by app name, never by container name. Exits with the
 * command's exit code. Not interactive: no TTY, no stdin.
 */
export async function execCommand(deps: CliDeps, app: string, cmd: string[], flags: ExecFlags): Promise<number> {
  if (cmd.length === 0) throw new CliError('give the command after --, e.g. ploy exec web -- ls /app');
  const { runtime } = await connect(deps, flags);
  const running = (await appContainers(runtime, app)).filter((c) => c.state === 'running');
  const wanted = flags.replica === undefined ? undefined : Number(flags.replica);
  const target = wanted === undefined ? running[0] : running.find((c) => replicaOf(c) === wanted);
  if (!target) {
    throw new CliError(
      wanted === undefined ? `app ${app} has no running container` : `app ${app} has no running replica ${flags.replica}`,
    );
  }
  const result = await runtime.exec(target.id, cmd);
  if (result.stdout) deps.stdout.write(result.stdout);
  if (result.stderr) deps.stderr.write(result.stderr);
  return result.exitCode;
}
