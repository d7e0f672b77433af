import { argvByReference, type ByReference, SecretEnv, shellTextByReference } from '../../executors/secret-refs.js';
import { isSensitive, type Sensitive } from '../../model/sensitive.js';
import type { Spec } from '../../model/resource.js';

type Command = string | Sensitive | unknown[];

/**
 * An app's commands (`command`, `healthcheck.cmd`, `hooks.preDeploy.command`) with their secrets
 * as references to variables added to its `env`, for the spec about to be revealed to Docker. A
 * container's command line is what `ps` on the host and `docker inspect` show; its environment
 * is the channel secrets take (the hook's and the health check's processes inherit it). A spec
 * without secrets in its commands is returned as it is. The spec hash is not affected: it is
 * computed from the redacted spec, which this never touches.
 */
export function commandsByReference(spec: Spec): ByReference<Spec> {
  const hc = spec.healthcheck as { cmd?: unknown } | undefined;
  const hooks = spec.hooks as { preDeploy?: { command?: unknown } } | undefined;
  if (![spec.command, hc?.cmd, hooks?.preDeploy?.command].some(holdsSecret)) return { value: spec };
  const secrets = new SecretEnv();
  const out: Spec = { ...spec };
  const rewrite = (command: unknown): ByReference<unknown> =>
    holdsSecret(command) ? byReference(command as Command, secrets) : { value: command };

  const command = rewrite(spec.command);
  if ('error' in command) return command;
  if (spec.command !== undefined) out.command = command.value;
  if (hc?.cmd !== undefined) {
    const cmd = rewrite(hc.cmd);
    if ('error' in cmd) return cmd;
    out.healthcheck = { ...hc, cmd: cmd.value };
  }
  if (hooks?.preDeploy?.command !== undefined) {
    const hook = rewrite(hooks.preDeploy.command);
    if ('error' in hook) return hook;
    out.hooks = { ...hooks, preDeploy: { ...hooks.preDeploy, command: hook.value } };
  }
  out.env = { ...(spec.env as Record<string, unknown> | undefined), ...secrets.env };
  return { value: out };
}

const holdsSecret = (v: unknown): boolean => isSensitive(v) || (Array.isArray(v) && v.some(isSensitive));

function byReference(command: Command, secrets: SecretEnv): ByReference<unknown> {
  if (!Array.isArray(command)) return shellTextByReference(command, secrets);
  return argvByReference(
    command.map((a) => (isSensitive(a) ? a : String(a))),
    secrets,
  );
}
