import { isSensitiveDigest } from '../model/sensitive.js';

/** What the API shows in place of a secret. */
export const MASK = '(sensitive)';

/**
 * A JSON value with every stored secret (`{"$sensitive": digest}`) replaced by `(sensitive)`.
 * Even the keyed digest is withheld: a dashboard has no use for it, and it is the store's
 * business how secrets are compared. Every JSON the API returns passes through here (the JSON
 * scalar serializes with it), so no field can forget.
 */
export function maskSecrets(value: unknown): unknown {
  if (isSensitiveDigest(value)) return MASK;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(v);
    return out;
  }
  return value;
}
