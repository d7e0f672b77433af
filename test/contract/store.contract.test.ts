import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../engine/adapters/store/migrations.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { createPostgresDriver } from '../../engine/adapters/store/postgres-driver.js';
import { type ChangeResultRecord, type Store, StoreInUseError, StoreUnavailableError } from '../../engine/ports/store.js';
import { storeTargets } from '../support/store-targets.js';

const targets = storeTargets('ploy-store-contract');

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let seq = 0;
/** A name no other test uses, since the tests of one target share a database. */
const unique = (base: string) => `${base}-${++seq}`;

describe.each(targets)('the $name store', (target) => {
  let where: { url: string; embeddedDir: string };
  let store: Store;

  beforeAll(async () => {
    if (target.unavailable) return;
    where = await target.fresh();
    store = await openStore(where.url, where);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach((ctx) => {
    if (target.unavailable) ctx.skip(target.unavailable);
  });

  async function reopen(): Promise<Store> {
    await store.close();
    store = await openStore(where.url, where);
    return store;
  }

  async function newApply() {
    const plan = await store.recordPlan({
      revisionId: null,
      plan: { formatVersion: 1, changes: [] },
      actualHash: 'h',
      summary: { create: 0, update: 0, replace: 0, delete: 0 },
    });
    return store.startApply({ planId: plan.id, revisionId: null, trigger: 'cli', startedAt: at(0) });
  }

  const result = (name: string, over: Partial<ChangeResultRecord> = {}): ChangeResultRecord => ({
    kind: 'App',
    name,
    action: 'create',
    status: 'succeeded',
    startedAt: at(1),
    finishedAt: at(2),
    ...over,
  });

  it('round-trips a revision and reports the newest applied one as what runs now', async () => {
    const a = await store.recordRevision({ commit: 'aaa', source: 'git', status: 'pending' });
    expect(a).toMatchObject({ commit: 'aaa', source: 'git', author: null, message: null, committedAt: null });
    expect(a.diagnostics).toBeNull();
    expect(a.createdAt).toBeInstanceOf(Date);
    const b = await store.recordRevision({
      commit: 'bbb',
      source: 'git',
      author: 'Ada',
      message: 'add web',
      committedAt: at(5),
      status: 'pending',
    });
    expect(await store.getRevision(b.id)).toEqual(b);
    expect((await store.getRevision(b.id))?.committedAt).toEqual(at(5));

    await store.updateRevision(a.id, { status: 'applied' });
    expect((await store.lastAppliedRevision())?.id).toBe(a.id);
    await store.updateRevision(b.id, { status: 'applied' });
    expect((await store.lastAppliedRevision())?.id).toBe(b.id);
    await store.updateRevision(a.id, { status: 'invalid', diagnostics: [{ code: 'E1', line: 3 }] });
    expect(await store.getRevision(a.id)).toMatchObject({
      status: 'invalid',
      diagnostics: [{ code: 'E1', line: 3 }],
    });

    const newestFirst = await store.listRevisions({ limit: 2 });
    expect(newestFirst.map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await store.listRevisions({ beforeId: b.id, limit: 1 }))[0].id).toBe(a.id);
    expect(await store.getRevision(999_999)).toBeUndefined();
  });

  it('keeps a plan as the same JSON document it was given', async () => {
    const rev = await store.recordRevision({ commit: 'ccc', source: 'dir', status: 'planned' });
    const doc = {
      formatVersion: 1,
      changes: [{ action: 'update', key: 'App/web', diffs: [{ path: ['image'], before: 'a:1', after: 'a:2' }] }],
      nested: { emptyList: [], nothing: null, yes: true, n: 1.5, text: 'héllo → ✓ "quoted"' },
    };
    const p = await store.recordPlan({
      revisionId: rev.id,
      plan: doc,
      actualHash: 'sha256:1',
      summary: { create: 1, update: 2, replace: 0, delete: 3 },
    });
    expect(p.plan).toEqual(doc);
    expect(await store.getPlan(p.id)).toEqual(p);
    expect(p.summary).toEqual({ create: 1, update: 2, replace: 0, delete: 3 });
    expect((await store.listPlans({ revisionId: rev.id })).map((x) => x.id)).toEqual([p.id]);
    expect(await store.getPlan(999_999)).toBeUndefined();
  });

  it('records an apply from start to finish with each change result in order', async () => {
    const apply = await newApply();
    expect(apply).toMatchObject({ status: 'running', finishedAt: null, trigger: 'cli', startedAt: at(0) });
    const first = result(unique('web'), { message: 'created', detail: { containers: ['c1'] } });
    const second = result(unique('db'), { status: 'failed', action: 'update' });
    await store.recordChangeResult(apply.id, first);
    await store.recordChangeResult(apply.id, second);
    const done = await store.finishApply(apply.id, 'partial', at(9));
    expect(done).toMatchObject({ id: apply.id, status: 'partial', finishedAt: at(9) });
    expect(await store.getApply(apply.id)).toEqual({ ...done, results: [first, second] });
    expect((await store.listApplies({ limit: 1 }))[0].id).toBe(apply.id);
    expect(await store.getApply(999_999)).toBeUndefined();
  });

  it('puts and removes the last-applied spec together with the change result', async () => {
    const apply = await newApply();
    const name = unique('api');
    const spec = { image: 'api:1', env: { TOKEN: { digest: 'hmac:abc' } } };
    await store.recordChangeResult(apply.id, result(name), {
      put: { kind: 'App', name, spec, specHash: 'h1', revisionId: null, appliedAt: at(3), protect: true },
    });
    const applied = (await store.listApplied()).find((r) => r.name === name);
    expect(applied).toEqual({
      kind: 'App',
      name,
      spec,
      specHash: 'h1',
      revisionId: null,
      appliedAt: at(3),
      protect: true,
    });

    await store.recordChangeResult(apply.id, result(name, { action: 'delete' }), {
      remove: { kind: 'App', name },
    });
    expect((await store.listApplied()).some((r) => r.name === name)).toBe(false);
    expect((await store.getApply(apply.id))?.results).toHaveLength(2);
  });

  it('writes nothing of a change result when its applied spec cannot be stored', async () => {
    const apply = await newApply();
    const name = unique('cache');
    const put = (spec: unknown, specHash: string) => ({
      put: { kind: 'App' as const, name, spec, specHash, revisionId: null, appliedAt: at(4), protect: false },
    });
    await store.recordChangeResult(apply.id, result(name), put({ image: 'redis:7' }, 'good'));
    // jsonb rejects the NUL character, so the second statement of the transaction fails.
    await expect(
      store.recordChangeResult(apply.id, result(name, { action: 'update' }), put({ image: 'a\u0000b' }, 'bad')),
    ).rejects.toThrow();
    expect((await store.getApply(apply.id))?.results.map((r) => r.action)).toEqual(['create']);
    expect((await store.listApplied()).find((r) => r.name === name)).toMatchObject({
      specHash: 'good',
      spec: { image: 'redis:7' },
    });
  });

  it('lists events newest first, filtered by type and resource, and oldest first after an id', async () => {
    const type = unique('deploy.failed');
    const resource = `App/${unique('web')}`;
    const e1 = await store.recordEvent({ type, resource, message: 'one', data: { exit: 1 }, at: at(10) });
    const e2 = await store.recordEvent({ type, message: 'two', at: at(11) });
    const e3 = await store.recordEvent({ type: `${type}.other`, resource, message: 'three', at: at(12) });
    expect(e1).toEqual({ id: e1.id, type, resource, message: 'one', data: { exit: 1 }, at: at(10) });
    expect(e2).not.toHaveProperty('resource');

    expect((await store.listEvents({ type })).map((e) => e.id)).toEqual([e2.id, e1.id]);
    expect((await store.listEvents({ resource })).map((e) => e.id)).toEqual([e3.id, e1.id]);
    expect((await store.listEvents({ type, resource })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store.listEvents({ afterId: e1.id, limit: 1 })).map((e) => e.id)).toEqual([e2.id]);
    expect((await store.listEvents({ limit: 1 }))[0].id).toBe(e3.id);
  });

  it('records deployments newest first with their outcome, and remembers one failed spec per app', async () => {
    const app = unique('web');
    const first = await store.startDeployment({
      app,
      revisionId: null,
      applyId: null,
      revision: 'abc',
      specHash: 'sha256:1',
      spec: { image: 'web:1', env: { TOKEN: { $sensitive: 'hmac-sha256:x' } } },
      image: 'web:1',
      strategy: 'create',
      startedAt: at(0),
    });
    expect(first).toMatchObject({ status: 'running', finishedAt: null, logTail: [], containers: [] });
    await store.finishDeployment(first.id, {
      status: 'succeeded',
      finishedAt: at(5),
      imageDigest: 'web@sha256:aa',
      containers: ['web.1.abcdef'],
    });
    const second = await store.startDeployment({ ...first, specHash: 'sha256:2', strategy: 'start-first', startedAt: at(10) });
    await store.finishDeployment(second.id, {
      status: 'rolled-back',
      finishedAt: at(20),
      error: 'unhealthy',
      logTail: ['a', 'b'],
    });
    const [newest, oldest] = await store.listDeployments({ app });
    expect(newest).toMatchObject({
      id: second.id,
      status: 'rolled-back',
      error: 'unhealthy',
      logTail: ['a', 'b'],
      finishedAt: at(20),
    });
    expect(oldest).toMatchObject({ status: 'succeeded', imageDigest: 'web@sha256:aa', containers: ['web.1.abcdef'] });
    expect(oldest.spec).toEqual({ image: 'web:1', env: { TOKEN: { $sensitive: 'hmac-sha256:x' } } });

    await store.rememberDeployFailure({ app, specHash: 'sha256:2', revision: 'abc', deploymentId: second.id, failedAt: at(20) });
    await store.rememberDeployFailure({ app, specHash: 'sha256:3', revision: 'def', deploymentId: null, failedAt: at(30) });
    expect((await store.listDeployFailures()).filter((f) => f.app === app)).toEqual([
      { app, specHash: 'sha256:3', revision: 'def', deploymentId: null, failedAt: at(30) },
    ]);
    await store.forgetDeployFailure(app, 'sha256:2');
    expect((await store.listDeployFailures()).filter((f) => f.app === app)).toHaveLength(1);
    await store.forgetDeployFailure(app, 'sha256:3');
    expect((await store.listDeployFailures()).filter((f) => f.app === app)).toEqual([]);
  });

  it('keeps the same 32-byte secret key when the store is opened again', async () => {
    const key = await store.secretKey();
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key).toHaveLength(32);
    expect(Buffer.from(key).equals(Buffer.alloc(32))).toBe(false);
    const again = await (await reopen()).secretKey();
    expect(Buffer.from(again).equals(Buffer.from(key))).toBe(true);
    expect((await store.listRevisions()).length).toBeGreaterThan(0);
  });

  it('gives a different secret key to a different installation', async () => {
    const other = await target.fresh();
    const otherStore = await openStore(other.url, other);
    try {
      expect(Buffer.from(await otherStore.secretKey()).equals(Buffer.from(await store.secretKey()))).toBe(false);
    } finally {
      await otherStore.close();
    }
  });

  if (target.name === 'PGlite') {
    it('refuses a second open of the embedded store while it is open, and opens after close', async () => {
      const second = openStore('embedded', where);
      await expect(second).rejects.toBeInstanceOf(StoreInUseError);
      await expect(second).rejects.toThrow(`the embedded store at ${where.embeddedDir} is in use by process ${process.pid}`);
      expect(await (await reopen()).lastAppliedRevision()).toBeDefined();
    });

    it('takes over a lock left behind by a process that died', async () => {
      await store.close();
      const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
      fs.writeFileSync(path.join(where.embeddedDir, 'store.lock'), `${dead}\n`);
      store = await openStore('embedded', where);
      expect(fs.readFileSync(path.join(where.embeddedDir, 'store.lock'), 'utf8').trim()).toBe(String(process.pid));
    });

    it('refuses the embedded store while another live process holds its lock', async () => {
      await store.close();
      const lock = path.join(where.embeddedDir, 'store.lock');
      // Our parent process stands in for another live ploy.
      fs.writeFileSync(lock, `${process.ppid}\n`);
      try {
        await expect(openStore('embedded', where)).rejects.toThrow(`in use by process ${process.ppid}`);
      } finally {
        fs.rmSync(lock);
        store = await openStore('embedded', where);
      }
    });
  }

  if (target.name === 'PostgreSQL') {
    it('lets two processes migrate a fresh database at once and ends with one schema', async () => {
      const { url } = await target.fresh();
      const a = createPostgresDriver(url, { max: 1 });
      const b = createPostgresDriver(url, { max: 1 });
      try {
        const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
        // Each migration ran exactly once, whichever process ran it; the other waited on the lock.
        const all = MIGRATIONS.map((m) => m.id);
        expect([...appliedA, ...appliedB].sort((x, y) => x - y)).toEqual(all);
        const ids = await a.query<{ id: number }>('select id from schema_migrations order by id');
        expect(ids.map((r) => Number(r.id))).toEqual(all);
        const keys = await a.query<{ n: string }>(`select count(*) as n from meta where key = 'secret_key'`);
        expect(Number(keys[0].n)).toBe(1);
        expect(await migrate(a)).toEqual([]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }
});

describe('openStore', () => {
  it('reports an unreachable PostgreSQL as unavailable without revealing the password', async () => {
    const url = 'postgres://ploy:s3cret-pw@127.0.0.1:1/ploy';
    const err = await openStore(url, { embeddedDir: os.tmpdir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain('postgres://ploy:***@127.0.0.1:1/ploy');
    expect((err as Error).message).not.toContain('s3cret-pw');
    expect((err as Error).cause).toBeDefined();
  });

  it('rejects a url that is neither embedded nor PostgreSQL without echoing it', async () => {
    const err = await openStore('mysql://u:pw@h/db', { embeddedDir: os.tmpdir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).not.toContain('pw');
  });
});
