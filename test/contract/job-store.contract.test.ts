import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import type { OccurrenceClaim } from '../../engine/ports/job-store.js';
import type { Store } from '../../engine/ports/store.js';
import { storeTargets } from '../support/store-targets.js';

/** The JobStore half of the store contract, run against PGlite and a real PostgreSQL. */
const targets = storeTargets('ploy-job-store');

const t0 = new Date('2026-06-01T08:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
let seq = 0;
const unique = (base: string) => `${base}-${++seq}`;

describe.each(targets)('the $name job store', (target) => {
  let store: Store;
  let epoch: number;

  beforeAll(async () => {
    if (target.unavailable) return;
    const where = await target.fresh();
    store = await openStore(where.url, where);
    ({ epoch } = await store.takeLeadership('test-1', t0));
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach((ctx) => {
    if (target.unavailable) ctx.skip(target.unavailable);
  });

  const claim = (job: string, s: number, extra: Partial<OccurrenceClaim> = {}) =>
    store.claimOccurrence({ job, scheduledAt: at(s), trigger: 'schedule', epoch, startedAt: at(s), ...extra });

  it('claims a slot once: the same (job, time) is refused the second time', async () => {
    const job = unique('once');
    const first = await claim(job, 1);
    expect('claimed' in first && first.claimed).toMatchObject({ job, status: 'running', attempt: 1, epoch, trigger: 'schedule' });
    expect(await claim(job, 1)).toEqual({ refused: 'taken' });
    expect('claimed' in (await claim(job, 2))).toBe(true);
  });

  it('lets exactly one of many simultaneous claims of a slot win', async () => {
    const job = unique('race');
    const results = await Promise.all(Array.from({ length: 10 }, () => claim(job, 1)));
    expect(results.filter((r) => 'claimed' in r)).toHaveLength(1);
  });

  it('refuses a claim under a stale epoch, and takes it under the new one', async () => {
    const job = unique('fenced');
    const old = epoch;
    const next = await store.takeLeadership('test-2', at(5));
    expect(next.epoch).toBe(old + 1);
    expect(await claim(job, 10, { epoch: old })).toEqual({ refused: 'stale-epoch' });
    epoch = next.epoch;
    expect('claimed' in (await claim(job, 10))).toBe(true);
    expect(await store.currentLeader()).toMatchObject({ epoch: next.epoch, holder: 'test-2' });
  });

  it('marks runs left running by an earlier leader as interrupted on takeover', async () => {
    const job = unique('orphan');
    const r = await claim(job, 1);
    const next = await store.takeLeadership('test-3', at(2));
    epoch = next.epoch;
    expect(next.interrupted).toBeGreaterThanOrEqual(1);
    const row = await store.getOccurrence('claimed' in r ? r.claimed.id : -1);
    expect(row).toMatchObject({ status: 'interrupted', reason: expect.stringMatching(/stopped or lost leadership/) });
  });

  it('records a skip with its reason, and a forbidden overlap with another claimer as skipped', async () => {
    const job = unique('skip');
    const s = await claim(job, 1, { skip: 'suspended' });
    expect('claimed' in s && s.claimed).toMatchObject({ status: 'skipped', reason: 'suspended' });
    // The leader's own running rows do not count: it knows its runs better than their rows do.
    await claim(job, 2);
    const own = await claim(job, 3, { forbidWhenRunning: true });
    expect('claimed' in own && own.claimed.status).toBe('running');
    // A run outside the scheduler (a CLI's manual run) sees the leader's, and the leader sees it.
    const manual = await claim(job, 4, { epoch: null, trigger: 'manual', forbidWhenRunning: true });
    expect('claimed' in manual && manual.claimed).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^overlap/) });
    const other = unique('skip-other');
    await claim(other, 1, { epoch: null, trigger: 'manual' });
    const blocked = await claim(other, 2, { forbidWhenRunning: true });
    expect('claimed' in blocked && blocked.claimed.status).toBe('skipped');
    const allowed = await claim(other, 3, { forbidWhenRunning: false });
    expect('claimed' in allowed && allowed.claimed.status).toBe('running');
  });

  it('takes manual runs without an epoch (outside the scheduler)', async () => {
    const job = unique('manual');
    const r = await claim(job, 1, { epoch: null, trigger: 'manual' });
    expect('claimed' in r && r.claimed).toMatchObject({ epoch: null, trigger: 'manual' });
  });

  it('writes results and lists history newest first', async () => {
    const job = unique('history');
    const a = await claim(job, 1, { triggeredBy: 'parent@x' });
    const id = 'claimed' in a ? a.claimed.id : -1;
    await store.updateOccurrence(id, { status: 'running', attempt: 2 });
    await store.updateOccurrence(id, {
      status: 'failed',
      reason: 'exited with code 3',
      finishedAt: at(2),
      exitCode: 3,
      output: 'out\nerr\n',
    });
    await claim(job, 5, { skip: 'missed' });
    const rows = await store.listOccurrences({ job });
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'failed']);
    expect(rows[1]).toMatchObject({
      attempt: 2,
      exitCode: 3,
      output: 'out\nerr\n',
      reason: 'exited with code 3',
      triggeredBy: 'parent@x',
    });
    expect(rows[1].finishedAt?.toISOString()).toBe(at(2).toISOString());
    expect(await store.listOccurrences({ job, status: 'failed' })).toHaveLength(1);
  });

  it('knows the last scheduled slot of each job and the last finished run before one', async () => {
    const job = unique('last');
    const a = await claim(job, 1);
    await store.updateOccurrence('claimed' in a ? a.claimed.id : -1, { status: 'failed', finishedAt: at(1) });
    await claim(job, 7);
    const m = await claim(job, 9, { trigger: 'manual' });
    expect((await store.lastScheduledTimes()).get(job)?.toISOString()).toBe(at(7).toISOString());
    const before = await store.lastFinishedRun(job, 'claimed' in m ? m.claimed.id : -1);
    expect(before?.status).toBe('failed');
  });

  it('claims and finishes many slots in one statement each, refusing the taken ones', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) => unique(`batch-${i}`));
    await claim(jobs[3], 1);
    const results = await store.claimOccurrences(
      jobs.map((job) => ({ job, scheduledAt: at(1), trigger: 'schedule', epoch, startedAt: at(1), forbidWhenRunning: true })),
    );
    expect(results.filter((r) => 'refused' in r)).toEqual([{ refused: 'taken' }]);
    expect('refused' in results[3]).toBe(true);
    const ids = results.flatMap((r) => ('claimed' in r ? [r.claimed.id] : []));
    await store.finishOccurrences(
      ids.map((id, i) => ({
        id,
        status: i % 2 ? 'failed' : 'succeeded',
        reason: i % 2 ? 'no' : null,
        attempt: 1,
        startedAt: at(1),
        finishedAt: at(2),
        exitCode: i % 2,
        output: `out ${i}\n`,
      })),
    );
    const row = await store.getOccurrence(ids[1]);
    expect(row).toMatchObject({ status: 'failed', reason: 'no', exitCode: 1, output: 'out 1\n' });
    expect(row?.finishedAt?.toISOString()).toBe(at(2).toISOString());
  });

  it('keeps the newest history.keep occurrences and never prunes a running one', async () => {
    const job = unique('prune');
    await claim(job, 0); // stays running
    for (let s = 1; s <= 5; s++) await claim(job, s, { skip: 'suspended' });
    expect(await store.pruneOccurrences(job, 2)).toBe(3);
    const left = (await store.listOccurrences({ job })).map((r) => r.scheduledAt.getTime());
    expect(left).toEqual([at(5).getTime(), at(4).getTime(), at(0).getTime()]);
  });
});
