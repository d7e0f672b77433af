import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject, type TestContext } from 'vitest';

/** Why PostgreSQL tests skip on a machine without PostgreSQL (never in CI: setup fails there). */
export const POSTGRES_UNAVAILABLE = 'PostgreSQL is not available on this machine (see the warning at the start of the run)';

/** The test server's URL, or undefined when none could be started locally. For `describe.skipIf`. */
export function postgresUrl(): string | undefined {
  return inject('databaseUrl');
}

/** The test server's URL; skips the running test with a reason when there is none. */
export function requirePostgres(ctx: TestContext): string {
  const url = postgresUrl();
  if (!url) {
    // Global setup already throws in CI; this is a second guard against a silent skip there.
    if (process.env.CI) throw new Error(POSTGRES_UNAVAILABLE);
    ctx.skip(POSTGRES_UNAVAILABLE);
  }
  return url as string;
}

/**
 * Creates a new, empty, uniquely named database on the test server and returns its URL, so
 * test files never share state. Dropped with the server (or, on an external server, in teardown).
 */
export async function freshDatabase(): Promise<string> {
  const url = postgresUrl();
  if (!url) throw new Error(POSTGRES_UNAVAILABLE);
  const name = `${inject('databasePrefix')}${randomBytes(6).toString('hex')}`;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
