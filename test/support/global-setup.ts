import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startTempPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a PostgreSQL server tests may create databases on; undefined when none locally. */
    databaseUrl: string | undefined;
    /** Prefix of the databases this run creates (freshDatabase), dropped in teardown. */
    databasePrefix: string;
  }
}

/**
 * vitest globalSetup: provides `databaseUrl`, from PLOY_TEST_DATABASE_URL or a PostgreSQL
 * started here from initdb and stopped in teardown. Without PostgreSQL a local run goes on
 * with a warning (the tests that need it skip); in CI it fails, because CI never skips.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `ploy_test_${randomBytes(4).toString('hex')}_`;
  project.provide('databasePrefix', prefix);

  const external = process.env.PLOY_TEST_DATABASE_URL;
  if (external) {
    project.provide('databaseUrl', external);
    // A shared server outlives the run: drop what this run created there.
    return () => dropDatabases(external, prefix);
  }

  try {
    const server = await startTempPostgres();
    project.provide('databaseUrl', server.url);
    return () => server.stop();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (process.env.CI) throw new Error(`CI requires PostgreSQL for the tests, and it could not be started: ${reason}`);
    console.warn(`\n!!! PostgreSQL could not be started; tests that need it are SKIPPED: ${reason.split('\n')[0]}\n`);
    project.provide('databaseUrl', undefined);
    return async () => {};
  }
}

async function dropDatabases(url: string, prefix: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`;
    for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
