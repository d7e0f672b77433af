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
  return String(e.message ?? err).trim();
}

/** True when the error means the daemon could not be reached at all. */
export function isUnreachable(err: unknown): boolean {
  const e = err as ModemError | undefined;
  return !!e && e.statusCode === undefined && typeof e.code === 'string' && UNREACHABLE.has(e.code);
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
  if (status === 404) return new RuntimeNotFoundError(message, operation, status, { cause: err });
  if (status === 409) return new RuntimeConflictError(message, operation, status, { cause: err });
  return new RuntimeOperationError(message, operation, status, { cause: err });
}

/** The HTTP status of a dockerode failure, if the daemon answered. */
export const statusOf = (err: unknown): number | undefined => (err as ModemError | undefined)?.statusCode;
