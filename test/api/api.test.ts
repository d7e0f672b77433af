import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl, freshDatabase } from '../support/pg.js';
import { type Fixture, SECRETS, startFixture } from './fixture.js';
import { seedMonitors, seedRuntime } from './seed.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/graphql');
const HOUR = 3600_000;

/** Every answer any test got, scanned at the end for secrets. */
const answers: string[] = [];

const STORES = [
  ['the embedded store', async () => undefined],
  ['PostgreSQL', async () => (postgresUrl() ? freshDatabase() : undefined)],
] as const;

for (const [label, storeUrl] of STORES) {
  describe.skipIf(label === 'PostgreSQL' && !postgresUrl())(`the GraphQL API on ${label}`, () => {
    let fx: Fixture;
    let digests: string[] = [];
    const q = async (query: string, variables?: object) => {
      const r = await fx.gql(query, variables);
      answers.push(r.text);
      expect(r.body?.errors, r.text).toBeUndefined();
      return r.body.data;
    };

    beforeAll(async () => {
      fx = await startFixture(await storeUrl());
      const now = new Date();
      await seedMonitors(fx.db, ['api', 'db'], now);
      await seedRuntime(fx.db, now);
      // An App is applied by the apps runtime (not on this branch): recorded the way apply records it.
      await fx.db.query(
        `insert into applied_resources (kind, name, spec, spec_hash, revision_id, applied_at)
         values ('App', 'web', $1::text::jsonb, 'sha256:b', null, now())`,
        [
          JSON.stringify({
            kind: 'App',
            name: 'web',
            image: 'web:2',
            labels: { env: 'prod' },
            env: { TOKEN: { $sensitive: 'hmac-sha256:0123abcd' } },
          }),
        ],
      );
      const applied = await fx.store.listApplied();
      digests = [...JSON.stringify(applied).matchAll(/"\$sensitive":"([^"]+)"/g)].map((m) => m[1]);
      for (let i = 0; i < 60; i++)
        await fx.store.recordEvent({
          type: i % 2 ? 'deploy.succeeded' : 'job.failed',
          resource: `Job/j${i % 3}`,
          message: `event ${i}`,
          at: new Date(now.getTime() - (60 - i) * 1000),
        });
    });
    afterAll(async () => {
      await fx?.close();
    });

    it('tells the engine’s status: version, current revision and last sync', async () => {
      const d = await q(readFileSync(join(EXAMPLES, 'engine-status.graphql'), 'utf8'));
      expect(d.engine).toMatchObject({ version: 'test', syncAuto: true, lastSync: { outcome: 'applied', pending: false } });
      expect(d.engine.currentRevision.commit).toBe(fx.engine.reconciler.last?.revision);
      expect(d.engine.leader).toMatchObject({ epoch: 0 });
    });

    it('returns revisions with typed plan changes, and applies with per-change results', async () => {
      const d = await q(readFileSync(join(EXAMPLES, 'deploy-history.graphql'), 'utf8'));
      // Newest first; the file watcher may split the second edit into two revisions.
      const revisions = d.revisions.edges.map((e: any) => e.node);
      const [first, latest] = [revisions.at(-1), revisions[0]];
      expect(latest.status).toBe('applied');
      expect(first.plan.summary).toEqual({ create: 5, update: 0, replace: 0, delete: 0 });
      const changes = revisions.slice(0, -1).flatMap((r: any) => r.plan?.changes ?? []);
      const job = changes.find((c: any) => c.name === 'backup');
      expect(job).toMatchObject({ action: 'update', kind: 'Job' });
      expect(job.diffs).toContainEqual({ path: 'schedule', before: '15 2 * * *', after: '30 3 * * *', sensitive: false });
      const ops = changes.find((c: any) => c.name === 'ops');
      expect(ops.diffs).toContainEqual(expect.objectContaining({ before: '(sensitive)', after: '(sensitive)', sensitive: true }));
      const applies = d.applies.edges.map((e: any) => e.node);
      expect(applies.at(-1).results).toHaveLength(5);
      expect(applies[0]).toMatchObject({ status: 'succeeded' });
      const results = applies.slice(0, -1).flatMap((a: any) => a.results);
      expect(results.map((r: any) => `${r.action} ${r.kind}/${r.name} ${r.status}`).sort()).toEqual([
        'update Job/backup succeeded',
        'update Notification/ops succeeded',
      ]);
    });

    it('pages the events feed forward and backward over the same rows', async () => {
      const page = `query($first: Int, $after: String, $last: Int, $before: String) {
        events(types: ["job.failed", "deploy.succeeded"], first: $first, after: $after, last: $last, before: $before) {
          edges { node { message } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
      const forward: string[] = [];
      let after: string | undefined;
      for (;;) {
        const { events } = await q(page, { first: 25, after });
        forward.push(...events.edges.map((e: any) => e.node.message));
        if (!events.pageInfo.hasNextPage) break;
        after = events.pageInfo.endCursor;
      }
      expect(forward).toHaveLength(60);
      expect(forward[0]).toBe('event 59');
      const backward: string[] = [];
      let before: string | undefined;
      for (;;) {
        const { events } = await q(page, { last: 25, before });
        backward.unshift(...events.edges.map((e: any) => e.node.message));
        if (!events.pageInfo.hasPreviousPage) break;
        before = events.pageInfo.startCursor;
      }
      expect(backward).toEqual(forward);
    });

    it('filters by kind, label selector, status and time range', async () => {
      const d = await q(`{
        prodDb: resources(labelSelector: "env=prod,tier in (db)") { edges { node { kind name } } }
        jobsAndApps: resources(kind: [Job, App]) { edges { node { name status } } }
        down: monitors(status: ["down"]) { edges { node { name } } }
        staging: notifications(labelSelector: "env!=prod") { edges { node { name provider } } }
        recent: events(resource: "Monitor/db", range: { since: "${new Date(Date.now() - 3 * HOUR).toISOString()}" }) { edges { node { type } } }
        old: events(range: { until: "2000-01-01T00:00:00Z" }) { edges { node { type } } }
        failedRuns: job(name: "backup") { executions(status: ["failed"]) { edges { node { attempt exitCode } } } }
      }`);
      expect(d.prodDb.edges.map((e: any) => e.node)).toEqual([{ kind: 'Monitor', name: 'db' }]);
      expect(d.jobsAndApps.edges.map((e: any) => e.node)).toEqual([
        { name: 'web', status: 'failed' },
        { name: 'backup', status: 'failed' },
      ]);
      expect(d.down.edges.map((e: any) => e.node.name)).toEqual(['db']);
      expect(d.staging.edges.map((e: any) => e.node)).toEqual([{ name: 'chat', provider: 'slack' }]);
      expect(d.recent.edges.map((e: any) => e.node.type)).toEqual(['monitor.down']);
      expect(d.old.edges).toEqual([]);
      expect(d.failedRuns.executions.edges.map((e: any) => e.node)).toEqual([{ attempt: 2, exitCode: 3 }]);
    });

    it('serves uptime over 24 h and 30 d from rollups plus the raw rows after them', async () => {
      const d = await q(readFileSync(join(EXAMPLES, 'uptime-dashboard.graphql'), 'utf8'));
      const api = d.monitors.edges.find((e: any) => e.node.name === 'api').node;
      const now = Date.now();
      const hourNow = Math.floor(now / HOUR) * HOUR;
      const minutes = Math.floor((now - 1000 - hourNow) / 60_000) + 1;
      const failures = Math.floor((minutes - 1) / 10) + 1;
      expect(api.day.checks).toBe(24 * 60 + minutes);
      expect(api.day.ratio).toBeCloseTo((24 * 59 + minutes - failures) / (24 * 60 + minutes), 6);
      expect(api.day.latencyP95).toBe(90);
      const hoursToday = (hourNow - Math.floor(now / (24 * HOUR)) * 24 * HOUR) / HOUR;
      expect(api.month.checks).toBe(29 * 1440 + hoursToday * 60 + minutes);
      expect(api.month.latencyP95).toBe(80);
      expect(api.state).toMatchObject({ state: 'up' });
    });

    it('looks up any object by node id', async () => {
      const d = await q(`{ monitor(name: "db") { id } revisions(first: 1) { edges { node { id number } } } }`);
      const n = await q(
        `query($a: ID!, $b: ID!, $c: ID!) {
        a: node(id: $a) { __typename ... on Monitor { name status } }
        b: node(id: $b) { __typename ... on Revision { number } }
        missing: node(id: $c) { id } }`,
        {
          a: d.monitor.id,
          b: d.revisions.edges[0].node.id,
          c: Buffer.from('Revision:999999').toString('base64'),
        },
      );
      expect(n.a).toEqual({ __typename: 'Monitor', name: 'db', status: 'down' });
      expect(n.b).toEqual({ __typename: 'Revision', number: d.revisions.edges[0].node.number });
      expect(n.missing).toBeNull();
    });

    it('answers every example query in examples/graphql/', async () => {
      for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.graphql'))) {
        const text = readFileSync(join(EXAMPLES, file), 'utf8');
        if (/^\s*subscription/m.test(text)) continue; // live ones are tested over SSE below
        const d = await q(text, { since: new Date(Date.now() - 24 * HOUR).toISOString() });
        expect(d, file).toBeTruthy();
      }
      const d = await q(readFileSync(join(EXAMPLES, 'failing-things.graphql'), 'utf8'));
      const backup = d.jobs.edges[0].node;
      expect(backup.lastExecution).toMatchObject({ status: 'failed', exitCode: 3, outputTail: 'dumping\nerror: disk full' });
      expect(backup.missedSlots.edges[0].node.reason).toBe('missed while down');
      expect(backup.nextRuns).toHaveLength(3);
      expect(d.deployments.edges[0].node).toMatchObject({ app: 'web', status: 'failed', error: 'health check failed' });
    });

    it('masks secrets in specs, plans and diffs', async () => {
      const d = await q(`{
        resources(first: 100) { edges { node { name spec } } }
        plans { edges { node { document changes { before after diffs { before after } } } } }
      }`);
      const text = JSON.stringify(d);
      expect(text).toContain('(sensitive)');
      expect(digests.length).toBeGreaterThan(0);
      for (const digest of digests) expect(text).not.toContain(digest);
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    });

    it('scans every answer of this suite for the test secrets and their digests', () => {
      const all = answers.join('\n');
      expect(all.length).toBeGreaterThan(10_000);
      for (const s of [...Object.values(SECRETS), ...digests]) expect(all).not.toContain(s);
    });
  });
}
