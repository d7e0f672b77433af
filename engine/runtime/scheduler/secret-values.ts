import { isSensitive, isSensitiveDigest, type Sensitive } from '../../model/sensitive.js';

/** A spec with a secret whose value this engine does not hold (applied elsewhere, or since changed). */
export class SecretUnavailable {
  constructor(readonly path: string) {}
}

/**
 * The applied spec keeps only digests of secrets; a run needs their values. They come from the
 * desired spec the reconciler read, at the same path, and only when its digest matches the
 * applied one, so a run never uses a secret from a revision that was not applied. At a path
 * `keep` names (a command, which passes its secrets by reference), the Sensitive itself is
 * given, not its value.
 */
export function withSecretValues(
  applied: unknown,
  desired: unknown,
  digest: (s: Sensitive) => string,
  path = '',
  keep: (path: string) => boolean = () => false,
): unknown | SecretUnavailable {
  if (isSensitiveDigest(applied)) {
    if (isSensitive(desired) && digest(desired) === applied.$sensitive) return keep(path) ? desired : desired.reveal();
    return new SecretUnavailable(path || '(root)');
  }
  if (Array.isArray(applied)) {
    const out: unknown[] = [];
    for (let i = 0; i < applied.length; i++) {
      const v = withSecretValues(applied[i], Array.isArray(desired) ? desired[i] : undefined, digest, `${path}[${i}]`, keep);
      if (v instanceof SecretUnavailable) return v;
      out.push(v);
    }
    return out;
  }
  if (applied !== null && typeof applied === 'object') {
    const out: Record<string, unknown> = {};
    const d = desired !== null && typeof desired === 'object' ? (desired as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(applied)) {
      const filled = withSecretValues(v, d[k], digest, path ? `${path}.${k}` : k, keep);
      if (filled instanceof SecretUnavailable) return filled;
      out[k] = filled;
    }
    return out;
  }
  return applied;
}

/** Whether a spec holds any secret digest (most do not, and need no desired state at all). */
export function hasSecrets(v: unknown): boolean {
  if (isSensitiveDigest(v)) return true;
  if (Array.isArray(v)) return v.some(hasSecrets);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasSecrets);
  return false;
}
