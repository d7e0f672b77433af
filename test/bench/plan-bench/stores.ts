import { appliedMutation } from '../../../engine/apply/apply-plan.js';
/**
 * Stores for the plan benchmark: a PostgreSQL server (PLOY_BENCH_DATABASE_URL, or a throwaway
 * one from initdb) with a fresh database per scenario, and seeding "what is applied" directly
 * through the Store port, since apps cannot be deployed without Docker.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { openStore } from '../../../engine/adapters/store/open-store.js';
import { loadConfig } from '../../../engine/config/load-config.js';
import { isSensitive } from '../../../engine/model/sensitive.js';
import { planAgainstStore } from '../../../engine/plan/against.js';
import { summarize } from '../../../engine/plan/types.js';
import { planDocument } from '../../../engine/plan/document.js';
import { desiredFromConfig } from '../../../engine/source/desired-from-config.js';
import { hasErrors } from '../../../engine/model/diagnostic.js';
import { compileKindValidators } from '../../../engine/validate/schemas.js';
import { startTempPostgres } from '../../support/postgres-server.js';

export interface PgServer {
  /** Where it came from, for the report (no password shown). */
  describe: string;
  /** A new empty database; its URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** PLOY_BENCH_DATABASE_URL's server, or a throwaway one; databases made here are dropped at stop. */
export async function startPg(): Promise<PgServer> {
  const external = process.env.PLOY_BENCH_DATABASE_URL;
  const temp = external ? undefined : await startTempPostgres();
  const url = external ?? (temp as { url: string }).url;
  const made: string[] = [];
  const admin = () => postgres(url, { max: 1, onnotice: () => {} });
  const u = new URL(url);
  return {
    describe: external
      ? `PLOY_BENCH_DATABASE_URL (${u.hostname}:${u.port || 5432})`
      : 'a throwaway PostgreSQL from initdb on loopback (test/support/postgres-server.ts: fsync=off, synchronous_commit=off)',
    async freshDatabase() {
      const name = `ploy_bench_${randomBytes(5).toString('hex')}`;
      const sql = admin();
      try {
        await sql.unsafe(`create database "${name}"`);
      } finally {
        await sql.end({ timeout: 5 });
      }
      made.push(name);
      const db = new URL(url);
      db.pathname = `/${name}`;
      return db.toString();
    },
    async stop() {
      if (temp) return temp.stop();
      const sql = admin();
      try {
        for (const name of made) await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

/** Writes `<dir>/ploy.config.yaml` naming the source and store; returns its path. */
export function writeConfig(dir: string, source: string, storeUrl: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'ploy.config.yaml');
  fs.writeFileSync(file, `source: {path: ${JSON.stringify(source)}}\nstore: {url: ${JSON.stringify(storeUrl)}}\n`);
  return file;
}

export interface Seeded {
  resources: number;
  seconds: number;
}

/**
 * Records every resource of `source` as applied, in the store `configFile` names: the plan
 * against that store is computed as `ploy apply` would, then each change's result is written
 * with its `put` (the shape of apply-plan.ts `appliedMutation`), apps included, since their
 * real apply needs Docker and would leave them pending.
 */
export async function seedApplied(configFile: string, source: string): Promise<Seeded> {
  const started = performance.now();
  const validators = compileKindValidators();
  const env = {};
  const { config, diagnostics } = loadConfig({
    configPath: configFile,
    sourceOverride: source,
    cwd: path.dirname(configFile),
    env,
    validator: validators.config,
  });
  if (!config) throw new Error(`bench config invalid: ${JSON.stringify(diagnostics)}`);
  const desired = await desiredFromConfig(config, { env, validators, secrets: 'resolve' });
  if (hasErrors(desired.diagnostics))
    throw new Error(`generated repo invalid: ${JSON.stringify(desired.diagnostics.slice(0, 3))}`);
  const url = config.store.url;
  const store = await openStore(isSensitive(url) ? url.reveal() : url, {
    embeddedDir: config.store.embeddedDir,
  });
  try {
    const plan = await planAgainstStore(desired, store, config.sync);
    const revision = await store.recordRevision({ commit: desired.revision, source, status: 'pending' });
    const planRecord = await store.recordPlan({
      revisionId: revision.id,
      plan: planDocument(plan),
      actualHash: plan.basis.actualHash,
      summary: summarize(plan.changes),
    });
    const apply = await store.startApply({
      planId: planRecord.id,
      revisionId: revision.id,
      trigger: 'bench-seed',
      startedAt: new Date(),
    });
    // PostgreSQL takes a few writes at once (the driver's pool); PGlite runs one at a time anyway.
    const todo = plan.changes.filter((c) => c.action !== 'noop');
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const change = todo[next++];
        const at = new Date();
        const applied = appliedMutation(change, revision.id, at);
        await store.recordChangeResult(
          apply.id,
          {
            kind: change.kind,
            name: change.name,
            action: change.action,
            status: 'succeeded',
            message: 'seeded by the benchmark',
            startedAt: at,
            finishedAt: at,
          },
          applied,
        );
      }
    };
    await Promise.all(Array.from({ length: url === 'embedded' ? 1 : 4 }, worker));
    const resources = todo.length;
    await store.finishApply(apply.id, 'succeeded');
    await store.updateRevision(revision.id, { status: 'applied' });
    return { resources, seconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}

/** Opens (creating and migrating) the store a config names, then closes it: a pre-created store. */
export async function precreate(storeUrl: string, embeddedDir: string): Promise<void> {
  const store = await openStore(storeUrl, { embeddedDir });
  await store.close();
}
