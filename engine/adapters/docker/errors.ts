import {
  RuntimeConflictError,
  RuntimeError,
  RuntimeNotFoundError,
  RuntimeOperationError,
  RuntimeUnavailableError,
} from '../../ports/container-runtime.js';

/** Error codes of a connection that never reached the daemon (or lost it). */
const UNREACHABLE = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EACCES',
  'EPERM',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
]);

/** The shape docker-modem gives its errors: the HTTP status and the daemon's JSON body. */
interface ModemError {
  statusCode?: number;
  syscall?: string;
  json?: { message?: string } | string | null;
  code?: string;
  message?: string;
  name?: string;
}

/** The daemon's own words for a failed request, without docker-modem's "(HTTP code 404) ..." prefix. */
export function daemonMessage(err: unknown): string {
  const e = (err ?? {}) as ModemError;
  const json = e.json;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message.trim();
  if (typeof json === 'string' && json.trim()) return json.trim();
  // Streamed requests have no parsed body: the daemon's words follow docker-modem's prefix.
  return String(e.message ?? err)
    .replace(/^\(HTTP code \d+\) [^-]*- /, '')
    .trim();
}

/** System calls of a connection; the same codes from a file system call (ENOENT of a path) are not about the daemon. */
const NETWORK_CALLS = new Set(['connect', 'getaddrinfo', 'read', 'write']);

/** True when the error means the daemon could not be reached at all. */
export function isUnreachable(err: unknown): boolean {
  const e = err as ModemError | undefined;
  if (!e || e.statusCode !== undefined || typeof e.code !== 'string' || !UNREACHABLE.has(e.code)) return false;
  return e.syscall === undefined || NETWORK_CALLS.has(e.syscall);
}

/** True for an aborted request (an AbortSignal fired). */
export function isAbort(err: unknown): boolean {
  const e = err as ModemError | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/**
 * Translates a dockerode failure into the port's typed errors: unreachable daemon →
 * RuntimeUnavailableError, 404 → RuntimeNotFoundError, 409 → RuntimeConflictError, any other
 * answer → RuntimeOperationError. Already-typed errors pass through.
 */
export function toRuntimeError(err: unknown, operation: string, where: string): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (isUnreachable(err)) {
    const code = (err as ModemError).code;
    return new RuntimeUnavailableError(`Docker is not reachable at ${where} (${code}): ${daemonMessage(err)}`, operation, {
      cause: err,
    });
  }
  const status = (err as ModemError | undefined)?.statusCode;
  const message = `${operation} failed: ${daemonMessage(err)}`;
  if (status === 404) return new RuntimeNotFoundError(message, operation, { cause: err, statusCode: status });
  if (status === 409) return new RuntimeConflictError(message, operation, { cause: err, statusCode: status });
  return new RuntimeOperationError(message, operation, { cause: err, statusCode: status });
}

/** The HTTP status of a dockerode failure, if the daemon answered. */
export const statusOf = (err: unknown): number | undefined => (err as ModemError | undefined)?.statusCode;

/**
 * Runs one Docker API call, mapping its failure to the runtime's errors; HTTP statuses in `ok`
 * (304 not modified, 404 already gone) resolve to undefined instead.
 */
export async function dockerCall<T>(where: string, op: string, fn: () => Promise<T>, ok: number[] = []): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = statusOf(err);
    if (status !== undefined && ok.includes(status)) return undefined as T;
    throw toRuntimeError(err, op, where);
  }
}
