import type { Sensitive } from '../../model/sensitive.js';
import type { AppliedResource } from '../../ports/store.js';
import { toJobDefinition } from './job-definition.js';
import type { RunnableJob } from './run-request.js';
import { hasSecrets, SecretUnavailable, withSecretValues } from './secret-values.js';

/** Commands keep their secrets as Sensitive: the runners pass them by reference (executors/secret-refs.ts). */
const COMMAND = /^(shell|exec|container)\.command(\[\d+\])?$/;

/**
 * An applied Job, ready to run: its definition, and its runner with secret values filled in
 * from the desired spec (when the digests match), or the reason they are not available.
 */
export function runnableJob(
  applied: AppliedResource,
  desiredSpec: Record<string, unknown> | undefined,
  digest: (s: Sensitive) => string,
): RunnableJob | { error: string } {
  const def = toJobDefinition(applied.name, applied.spec as Record<string, unknown>, applied.specHash, applied.appliedAt);
  if ('error' in def) return def;
  if (!hasSecrets(applied.spec)) return { ...def, revealed: def.runner };
  const filled = desiredSpec ? withSecretValues(applied.spec, desiredSpec, digest, '', (path) => COMMAND.test(path)) : undefined;
  if (!filled || filled instanceof SecretUnavailable) {
    const where = filled instanceof SecretUnavailable ? ` (${filled.path})` : '';
    return {
      ...def,
      unavailable: `the job uses a secret${where} whose value this engine has not read: it runs once this instance has read the revision that applied it`,
    };
  }
  const withValues = toJobDefinition(def.name, filled as Record<string, unknown>, def.specHash, def.appliedAt);
  return 'error' in withValues ? { ...def, unavailable: withValues.error } : { ...def, revealed: withValues.runner };
}
