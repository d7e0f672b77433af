import type { ContainerRuntime, MountSpec } from '../ports/container-runtime.js';
import { type CommandSpec, jobArgv, SecretEnv } from './secret-refs.js';
import { abortMessage, type AttemptResult, type RunContext } from './types.js';

export interface ContainerJobSpec {
  image: string;
  /** Its secrets (Sensitive) reach the container through its environment (see jobArgv). */
  command?: CommandSpec;
  env?: Record<string, string>;
  networks?: string[];
  volumes?: string[];
}

/** Label on one-off job containers, so they can be found (and cleaned up) by job. */
export const JOB_LABEL = 'ploy.job';

/** `data:/var/lib/data`, `/srv/static:/static:ro` → a mount (a leading `/` or `.` means a host path). */
export function parseVolume(text: string): MountSpec {
  const parts = text.split(':');
  const readOnly = parts.length === 3 && parts[2] === 'ro';
  const [source, target] = parts;
  const bind = source.startsWith('/') || source.startsWith('.');
  return { type: bind ? 'bind' : 'volume', source, target: target ?? source, readOnly };
}

/** Docker names allow [a-zA-Z0-9_.-]; the scheduled time makes each run's name unique. */
const containerName = (job: string, env: Record<string, string>) =>
  `ploy-job-${job}-${(env.PLOY_SCHEDULED_AT ?? '').replace(/[^0-9]/g, '')}-${env.PLOY_ATTEMPT ?? '1'}-${process.pid}`;

/**
 * The `container` runner: a one-off container from `image` on the Docker runtime, its output
 * followed as it is written, its exit code kept, and the container removed afterwards whatever
 * happened (on timeout it is stopped first: SIGTERM, then SIGKILL after 2 s).
 */
export async function runContainer(runtime: ContainerRuntime, spec: ContainerJobSpec, ctx: RunContext): Promise<AttemptResult> {
  const secrets = new SecretEnv();
  const cmd = spec.command === undefined ? undefined : jobArgv(spec.command, secrets);
  if (cmd && 'error' in cmd) return { ok: false, exitCode: null, message: cmd.error };
  if (!(await runtime.imageExists(spec.image))) await runtime.pullImage(spec.image, { signal: ctx.cancel.signal });
  const id = await runtime.createContainer({
    name: containerName(ctx.job, ctx.ployEnv),
    image: spec.image,
    cmd: cmd?.value,
    env: { ...spec.env, ...ctx.ployEnv, ...secrets.env },
    labels: { [JOB_LABEL]: ctx.job },
    mounts: spec.volumes?.map(parseVolume),
    networks: spec.networks?.map((name) => ({ name })),
    restart: { name: 'no' },
  });
  try {
    await runtime.start(id);
    for await (const line of runtime.followLogs(id, { signal: ctx.cancel.signal })) ctx.output.write(`${line.text}\n`);
    if (ctx.cancel.aborted) {
      await runtime.stop(id, { timeoutSeconds: 2 }).catch(() => {});
      return { ok: false, exitCode: null, message: abortMessage(ctx.cancel) };
    }
    // The log ends when the container stops; its exit code may land a moment later.
    let details = await runtime.inspect(id);
    for (let i = 0; details.state === 'running' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      details = await runtime.inspect(id);
    }
    if (details.exitCode === 0 && !details.error) return { ok: true, exitCode: 0 };
    const why = details.oomKilled ? 'killed: out of memory' : details.error || `exited with code ${details.exitCode}`;
    return { ok: false, exitCode: details.exitCode, message: why };
  } finally {
    await runtime.remove(id, { force: true }).catch(() => {});
  }
}
