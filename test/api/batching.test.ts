import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlReadModel } from '../../engine/adapters/store/read/index.js';
import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import { SqlStore } from '../../engine/adapters/store/sql-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { type Api, createApi } from '../../engine/api/server.js';
import { freshDatabase, postgresUrl } from '../support/pg.js';
import { counting, type Fixture, startFixture } from './fixture.js';
import { seedMonitors } from './seed.js';

const DASHBOARD = readFileSync(join(import.meta.dirname, '../../examples/graphql/uptime-dashboard.graphql'), 'utf8');

/** `count` more applied monitors named m-0001…, with their history. */
async function addMonitors(db: SqlDriver, from: number, count: number) {
  const names = Array.from({ length: count }, (_, i) => `m-${String(from + i).padStart(4, '0')}`);
  await db.query(
    `insert into applied_resources (kind, name, spec, spec_hash, revision_id, applied_at)
     select 'Monitor', n, jsonb_build_object('kind', 'Monitor', 'name', n, 'labels', jsonb_build_object('env', 'prod'),
            'http', jsonb_build_object('url', 'http://127.0.0.1/' || n)), 'sha256:' || n, null, now()
     from unnest($1::text[]) n`,
    [names],
  );
  await seedMonitors(db, names, new Date(), 3);
}

describe.skipIf(!postgresUrl())('the dashboard query on PostgreSQL', () => {
  let fx: Fixture;
  // The queries run in-process on an API of their own whose driver counts only its statements:
  // the engine's runtimes share the database and refresh on timers, which would otherwise be
  // counted whenever a slow request spans one of them.
  let api: Api;
  let db: ReturnType<typeof counting>;
  beforeAll(async () => {
    fx = await startFixture(await freshDatabase());
    db = counting(fx.db);
    api = createApi(
      {
        store: new SqlStore(db),
        readModel: sqlReadModel(db),
        clock: systemClock,
        version: 'test',
        engine: { lastSync: () => undefined, runs: () => 0, source: 'test', syncAuto: true },
      },
      { warn: () => undefined, error: () => undefined },
    );
  });
  afterAll(async () => {
    await fx?.close();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    return { text, body: JSON.parse(text) };
  };

  const statementsFor = async (query: string) => {
    const before = db.count;
    const t = performance.now();
    const r = await gql(query, { first: 1000 });
    process.stderr.write(`dashboard: ${Math.round(performance.now() - t)} ms, ${db.count - before} statements\n`);
    expect(r.body.errors, r.text).toBeUndefined();
    return { statements: db.count - before, edges: r.body.data.monitors.edges };
  };

  it('issues the same few statements for 10 and for 1,000 monitors (no N+1)', async () => {
    await addMonitors(fx.db, 1, 8);
    const small = await statementsFor(DASHBOARD);
    expect(small.edges).toHaveLength(10);
    await addMonitors(fx.db, 9, 990);
    const large = await statementsFor(DASHBOARD);
    expect(large.edges).toHaveLength(1000);
    const seeded = large.edges.filter((e: any) => e.node.name.startsWith('m-'));
    expect(seeded).toHaveLength(998);
    expect(seeded.every((e: any) => e.node.day.checks > 0 && e.node.month.latencyP95 > 0)).toBe(true);
    // applied state, monitor states, per window the rollups of monitors not yet kept for this
    // hour and the raw rows of monitors with no recent rollup (the fixture's own two), and once
    // the recent raw rows of every monitor (kept from then on): 100× the monitors adds none.
    expect(large.statements).toBeLessThanOrEqual(small.statements);
    expect(large.statements).toBeLessThanOrEqual(7);
    // Within the hour the rolled-up part and the recent raw rows are kept: only heartbeats
    // stored since are read.
    const again = await statementsFor(DASHBOARD);
    expect(again.statements).toBeLessThan(large.statements);
    expect(again.edges.map((e: any) => e.node.month)).toEqual(large.edges.map((e: any) => e.node.month));
  });

  it('keeps resource status, revision and last change batched for a page of every kind', async () => {
    const q = `{ resources(first: 1000) { edges { node { name status revision { number } lastChange { status } } } } }`;
    const before = db.count;
    const r = await gql(q);
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.body.data.resources.edges.length).toBe(1000);
    expect(db.count - before).toBeLessThanOrEqual(8);
  });
});
