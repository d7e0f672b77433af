import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import type { AppSpec } from '../spec-types.generated.js';
import { parseDuration } from '../../model/units.js';
import { APP_LABELS, appContainerSpec, commandOf, envOf } from './app-container.js';
import { logTail } from './rollout.js';

export interface HookResult {
  ok: boolean;
  message: string;
  logTail: string[];
}

const POLL_MS = 200;

/**
 * Runs `hooks.preDeploy` once, from the new image with the app's env, networks and volumes
 * (but no published ports, which the running version holds), and waits for it to exit. A
 * non-zero exit or a timeout fails the deploy before any running container is touched.
 */
export async function runPreDeploy(
  runtime: ContainerRuntime,
  input: {
    app: string;
    spec: AppSpec;
    image: string;
    hash: string;
    revision: string;
    baseDir: string;
    signal?: AbortSignal;
    clock: Clock;
  },
): Promise<HookResult | undefined> {
  const hook = input.spec.hooks?.preDeploy;
  if (!hook) return undefined;
  const timeout = parseDuration(hook.timeout ?? '5m') ?? 300_000;
  const base = appContainerSpec({
    ...input,
    containerName: `${input.app}.pre-deploy.${randomBytes(3).toString('hex')}`,
    replica: 0,
  });
  const id = await runtime.createContainer({
    ...base,
    cmd: commandOf(hook.command),
    env: { ...base.env, ...envOf(hook.env) },
    labels: { ...base.labels, [APP_LABELS.role]: 'pre-deploy' },
    ports: [],
    restart: { name: 'no' },
    healthcheck: undefined,
  });
  try {
    await runtime.start(id);
    const deadline = input.clock.now().getTime() + timeout;
    for (;;) {
      const c = await runtime.inspect(id);
      if (c.state === 'exited' || c.state === 'dead') {
        const tail = await logTail(runtime, id);
        return c.exitCode === 0
          ? { ok: true, message: 'preDeploy hook succeeded', logTail: tail }
          : {
              ok: false,
              message: `preDeploy hook exited with code ${c.exitCode}${c.error ? `: ${c.error}` : ''}`,
              logTail: tail,
            };
      }
      if (input.clock.now().getTime() > deadline || input.signal?.aborted) {
        const tail = await logTail(runtime, id);
        return { ok: false, message: `preDeploy hook did not finish within ${hook.timeout ?? '5m'}`, logTail: tail };
      }
      await input.clock.sleep(POLL_MS);
    }
  } finally {
    await runtime.remove(id, { force: true }).catch(() => undefined);
  }
}
