import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A push monitor's token: an HMAC of its name under the installation's secret key. Nothing to
 * store or rotate by hand, the same on every engine sharing the store, and unguessable without
 * the key. Shown only by `ploy monitors push-urls`.
 */
export function pushToken(key: Uint8Array, monitor: string): string {
  return createHmac('sha256', key).update(`push:${monitor}`).digest('base64url').slice(0, 32);
}

/** Constant-time comparison of a presented token with the expected one. */
export function validPushToken(key: Uint8Array, monitor: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(pushToken(key, monitor));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
