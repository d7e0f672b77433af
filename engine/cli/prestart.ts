/**
 * What `ploy` does before its CLI has even loaded (bin/ploy.js imports this small module first,
 * then the CLI: ~40 ms of modules, then the config). A plan or an apply on the embedded store
 * spends most of its time waiting for the store's thread to start and open PGlite; starting
 * that thread now takes the CLI's own loading off that wait.
 */
import { prestartStoreThread } from '../adapters/store/pglite-driver.js';

/** Starts what the command named by `argv` will need, if it can tell. */
export function prestart(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): void {
  if (mayOpenEmbeddedStore(argv, env)) prestartStoreThread();
}

/**
 * Whether the command is likely to open the embedded store: `plan` (not against a git base)
 * and `apply`, unless the environment names another store (DATABASE_URL and PLOY_STORE_URL
 * override the config; load-config.ts). A guess, not a decision: the config is read later, and
 * a thread started for a PostgreSQL store is ended unused (open-store.ts).
 */
export function mayOpenEmbeddedStore(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  const url = env.PLOY_STORE_URL ?? env.DATABASE_URL;
  if (url && url !== 'embedded') return false;
  const [command] = argv;
  return (command === 'plan' && !argv.some((a) => a === '--base' || a.startsWith('--base='))) || command === 'apply';
}
