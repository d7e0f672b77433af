import { type Store, StoreUnavailableError } from '../ports/store.js';

/** Node's, PostgreSQL's and postgres.js's words for "the database cannot be reached or written". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOSPC',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * Whether an error says the store is gone or full (as opposed to a refused statement, such as a
 * stale leader's claim): a connection error, SQLSTATE class 08 (connection exception), 57P0x
 * (the server shutting down or starting) or 53 (disk full, out of memory).
 */
export function isStoreFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // The drivers say so themselves (with the raw error as the cause).
  if (err instanceof StoreUnavailableError) return true;
  if (err.cause instanceof Error && err.cause !== err && isStoreFault(err.cause)) return true;
  const code = String((err as { code?: unknown }).code ?? '');
  if (UNREACHABLE_CODES.has(code)) return true;
  if (/^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  return /no answer within|connection (terminated|refused|closed)|write CONNECTION_CLOSED/i.test(err.message);
}

export interface StoreFaultListener {
  /** A call failed because the store is unreachable or full. */
  storeFailed(err: Error): void;
  /** A call succeeded: the store answers. */
  storeAnswered(): void;
}

/**
 * The store, telling `listener` whether it answers: every call that fails with a store fault,
 * and every call that succeeds, is reported. One wrapper at the boundary instead of a check at
 * each of the engine's many store calls; what fails is still thrown to the caller.
 */
export function healthReportingStore(store: Store, listener: StoreFaultListener): Store {
  const failed = (err: unknown) => {
    if (isStoreFault(err)) listener.storeFailed(err as Error);
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          failed(err);
          throw err;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v) => {
            listener.storeAnswered();
            return v;
          },
          (err: unknown) => {
            failed(err);
            throw err;
          },
        );
      };
    },
  });
}
