import fs from 'node:fs';
import { VERSION } from '../version.js';
import { StoreInUseError, StoreUnavailableError } from '../../ports/store.js';
import { type Check, type CheckLine, type CheckOutcome, fail, octal, ok, warn } from './check.js';

const REACH =
  'Start the database, or correct store.url in ploy.config.yaml (DATABASE_URL and PLOY_STORE_URL override it); check its host, port, user, password and database name.';

/**
 * The store: reachable, its schema migrated (pending migrations are named; a store migrated by
 * a newer Ploy is a failure), and for the embedded store, that its directory is private and
 * writable. Never migrates, and never creates an embedded store that does not exist yet.
 */
export const storeCheck: Check = async ({ deps, config }): Promise<CheckOutcome> => {
  const embedded = config.store.url === 'embedded';
  const lines: CheckLine[] = embedded ? embeddedDirLines(config.store.embeddedDir) : [];
  if (lines.some((l) => l.status === 'fail')) return { lines };
  if (!deps.inspectStore) return { lines: [...lines, fail('store', 'not available in this build', REACH)] };
  const what = embedded ? `embedded store in ${config.store.embeddedDir}` : 'PostgreSQL store';
  let found;
  try {
    found = await deps.inspectStore(config);
  } catch (err) {
    if (err instanceof StoreInUseError)
      return { lines: [...lines, ok('store', `${what}: in use by a running ploy serve (not inspected further)`)] };
    if (err instanceof StoreUnavailableError) return { lines: [...lines, fail('store', err.message, REACH)] };
    throw err;
  }
  if (!found.exists)
    return { lines: [...lines, ok('store', `${what}: not created yet; the first ploy serve or ploy apply creates it`)] };
  const clocks = found.now ? [{ whose: 'the store', theirs: found.now, ours: deps.clock.now() }] : [];
  const server = found.server ? ` (${found.server})` : '';
  if (found.unknown.length)
    lines.push(
      fail(
        'store',
        `${what}${server}: migrated by a newer Ploy (migrations ${found.unknown.join(', ')} are unknown to Ploy ${VERSION})`,
        'Run the Ploy version that migrated it, or restore a backup of the store taken before that upgrade.',
      ),
    );
  else if (found.pending.length)
    lines.push(
      warn(
        'store',
        `${what}${server}: ${found.pending.length} migration(s) pending: ${found.pending.join(', ')}`,
        'They run on the next ploy serve, plan or apply. Back the store up first (pg_dump, or a copy of the stopped embedded store).',
      ),
    );
  else lines.push(ok('store', `${what}${server}: reachable, schema up to date`));
  return { lines, clocks };
};

/** The embedded store's directory: private to this user, and writable by it. */
function embeddedDirLines(dir: string): CheckLine[] {
  let mode: number;
  try {
    mode = fs.statSync(dir).mode;
  } catch {
    return []; // created (0700) on the first open
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    return [
      fail(
        'store',
        `${dir} is not writable by this user`,
        `Run Ploy as the user that owns it, or give it to this user: sudo chown -R "$USER" ${dir}`,
      ),
    ];
  }
  if (mode & 0o077)
    return [
      warn(
        'store',
        `${dir} is open to other users of this host (mode ${octal(mode)}); it holds the store's key, job output and history`,
        `chmod -R go-rwx ${dir} (Ploy also does this itself when it opens the store)`,
      ),
    ];
  return [];
}
