import { isConnectionFault } from './store-errors.js';

interface Log {
  warn(o: object, msg: string): void;
}

/**
 * postgres.js reads the server's array types on every new connection with a query of its own
 * whose promise nobody awaits (connection.js, `return fetchArrayTypes()` from ReadyForQuery).
 * When the server ends that connection at that moment (a restart, `pg_terminate_backend`, a
 * cut network), the rejection is unhandled and Node ends the process: one dropped connection
 * would stop `ploy serve`. The fault test that cuts an instance from its store found it.
 *
 * This contains exactly that: an unhandled rejection that is a connection fault and carries a
 * postgres.js query is logged and dropped (the driver reconnects on the next query). Anything
 * else is thrown again, and ends the process as Node would have.
 */
export function containPostgresSetupFaults(log: Log): void {
  process.on('unhandledRejection', (reason) => {
    if (isConnectionFault(reason) && typeof (reason as { query?: unknown }).query === 'string') {
      log.warn({ err: (reason as Error).message }, 'a store connection ended while it was being set up; it reconnects');
      return;
    }
    throw reason;
  });
}
