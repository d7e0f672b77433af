import { StoreUnavailableError } from '../../ports/store.js';

/** The URL with its password replaced by `***`, safe for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not parseable: say nothing of it rather than risk echoing a secret.
    return '<unparseable store url>';
  }
}

/** The password in a URL, decoded, or undefined. */
function passwordOf(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

// Node socket errors and postgres.js's own codes for a connection that cannot be used.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * True when an error means the database cannot be used at all, rather than that one
 * statement failed: network faults, SQLSTATE classes 08 (connection) and 28 (authorization),
 * 3D000 (no such database), 57P0x (shutting down), 53300 (too many connections).
 */
export function isConnectionFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = String((err as { code?: unknown }).code ?? '');
  if (NETWORK_CODES.has(code)) return true;
  return /^(08|28)/.test(code) || code === '3D000' || /^57P0/.test(code) || code === '53300';
}

/** Wraps a connection fault as StoreUnavailableError whose message cannot leak the password. */
export function unavailable(url: string, err: unknown): StoreUnavailableError {
  let reason = err instanceof Error ? err.message : String(err);
  const password = passwordOf(url);
  if (password) reason = reason.split(password).join('***');
  return new StoreUnavailableError(`the store at ${redactUrl(url)} is unavailable: ${reason}`, {
    cause: err,
  });
}
