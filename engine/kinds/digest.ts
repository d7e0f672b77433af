import { createHmac } from 'node:crypto';
import type { Sensitive } from '../model/sensitive.js';

/**
 * Secrets are compared by a keyed digest: the plan must show that a secret changed without
 * showing it, and a keyed HMAC (the key lives in the store) cannot be brute-forced from the
 * plan or the applied state alone, as a bare hash of a short password could.
 */
export const hmacDigest =
  (key: Uint8Array) =>
  (s: Sensitive): string =>
    `hmac-sha256:${createHmac('sha256', key).update(s.reveal()).digest('hex').slice(0, 32)}`;

/** `ploy plan --base` has no secret values: two revisions compare secrets by their reference. */
export const referenceDigest = (s: Sensitive): string => `ref:${s.template}`;
