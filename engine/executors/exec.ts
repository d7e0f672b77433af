import { type ContainerRuntime, PLOY_LABELS } from '../ports/container-runtime.js';
import { type CommandSpec, jobArgv, SecretEnv } from './secret-refs.js';
import { abortMessage, type AttemptResult, type RunContext } from './types.js';

export interface ExecJobSpec {
  app: string;
  /** Its secrets (Sensitive) reach the process through the exec's environment (see jobArgv). */
  command: CommandSpec;
}

/**
 * The `exec` runner: the command inside a running container of the App named `app`, found by
 * the labels the App runtime puts on its containers (never by container name, which changes
 * with every deploy). With several replicas, the first running one by name is used, so runs
 * are predictable.
 *
 * On timeout the engine stops waiting and the run fails; Docker has no way to kill an exec'd
 * process, so it may go on inside the container.
 */
export async function runExec(runtime: ContainerRuntime, spec: ExecJobSpec, ctx: RunContext): Promise<AttemptResult> {
  const containers = await runtime.listManaged({ [PLOY_LABELS.app]: spec.app });
  const target = containers.filter((c) => c.state === 'running').sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!target) return { ok: false, exitCode: null, message: `app "${spec.app}" has no running container to exec in` };
  const secrets = new SecretEnv();
  const cmd = jobArgv(spec.command, secrets);
  if ('error' in cmd) return { ok: false, exitCode: null, message: cmd.error };
  try {
    const env = { ...ctx.ployEnv, ...secrets.env };
    const res = await runtime.exec(target.id, cmd.value, { env, signal: ctx.cancel.signal });
    ctx.output.write(res.output);
    if (res.exitCode === 0) return { ok: true, exitCode: 0 };
    return { ok: false, exitCode: res.exitCode, message: `exited with code ${res.exitCode}` };
  } catch (err) {
    if (ctx.cancel.aborted) return { ok: false, exitCode: null, message: abortMessage(ctx.cancel) };
    throw err;
  }
}
