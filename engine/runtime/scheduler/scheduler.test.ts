import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../executors/types.js';
import type { EngineEvent } from '../../ports/events.js';
import type { LeadershipHandlers } from '../../ports/leadership.js';
import type { AppliedResource } from '../../ports/store.js';
import { SteppingClock as FakeClock, settle } from '../../../test/support/stepping-clock.js';
import { MemoryJobStore } from '../../../test/support/memory-job-store.js';
import { Scheduler } from './scheduler.js';

const quiet = { info() {}, warn() {}, error() {} };

function setup(
  start: string,
  jobs: Array<Record<string, unknown>>,
  opts: { lastSlot?: Record<string, string>; aheadMs?: number } = {},
) {
  const clock = new FakeClock(start);
  const jobStore = new MemoryJobStore();
  let applied: AppliedResource[] = jobs.map((spec) => ({
    kind: 'Job',
    name: spec.name as string,
    spec,
    specHash: JSON.stringify(spec),
    revisionId: 1,
    appliedAt: new Date('2026-01-01T00:00:00Z'),
    protect: false,
  }));
  for (const [job, at] of Object.entries(opts.lastSlot ?? {})) {
    jobStore.rows.push({
      id: 1000 + jobStore.rows.length,
      job,
      scheduledAt: new Date(at),
      status: 'succeeded',
      reason: null,
      trigger: 'schedule',
      attempt: 1,
      epoch: 0,
      startedAt: null,
      finishedAt: null,
      exitCode: 0,
      output: '',
      triggeredBy: null,
    });
  }
  const store = Object.assign(jobStore, {
    listApplied: async () => applied,
    secretKey: async () => new Uint8Array(32),
  });
  const events: EngineEvent[] = [];
  let handlers: LeadershipHandlers | undefined;
  const ran: string[] = [];
  const scheduler = new Scheduler({
    store,
    clock,
    log: quiet,
    events: { emit: async (e) => void events.push(e) },
    leadership: { start: (h) => void (handlers = h), stop: async () => {} },
    runners: {},
    refreshEveryMs: 3_600_000,
    pruneEveryMs: 3_600_000,
    claimAheadMs: opts.aheadMs ?? 0,
    finishLingerMs: 0,
  });
  // Every attempt succeeds at once; what ran is recorded as job@time.
  (scheduler.runs as unknown as { deps: { attempt: unknown } }).deps.attempt = async (
    _s: unknown,
    ctx: { job: string; ployEnv: Record<string, string> },
  ): Promise<AttemptResult> => {
    ran.push(`${ctx.job}@${ctx.ployEnv.PLOY_SCHEDULED_AT}`);
    return { ok: true, exitCode: 0 };
  };
  const elect2 = (epoch: number) => handlers!.onElected(epoch);
  const elect = async () => {
    const { epoch } = await store.takeLeadership('test', clock.now());
    handlers!.onElected(epoch);
    await settle();
  };
  return {
    clock,
    store,
    events,
    ran,
    scheduler,
    elect,
    elect2,
    depose: () => handlers!.onDeposed('test'),
    setApplied: (a: AppliedResource[]) => (applied = a),
  };
}

describe('Scheduler (fake clock)', () => {
  it('schedules nothing until elected, then runs every slot of every applied job', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [
      { name: 'a', schedule: '@every 1s', shell: { command: 'a' } },
      { name: 'b', schedule: '*/2 * * * * *', shell: { command: 'b' } },
    ]);
    await s.scheduler.start();
    await s.clock.advance(3000);
    expect(s.ran).toEqual([]);
    await s.elect();
    await s.clock.advance(4000);
    await settle();
    expect(s.ran.filter((r) => r.startsWith('a@'))).toEqual([
      'a@2026-05-01T10:00:04.000Z',
      'a@2026-05-01T10:00:05.000Z',
      'a@2026-05-01T10:00:06.000Z',
      'a@2026-05-01T10:00:07.000Z',
    ]);
    expect(s.ran.filter((r) => r.startsWith('b@'))).toEqual(['b@2026-05-01T10:00:04.000Z', 'b@2026-05-01T10:00:06.000Z']);
    await s.scheduler.stop();
  });

  it('records the slots missed before the election and emits job.missed', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [{ name: 'a', schedule: '@every 1s', shell: { command: 'a' } }], {
      lastSlot: { a: '2026-05-01T09:59:57.000Z' },
    });
    await s.scheduler.start();
    await s.elect();
    const missed = (await s.store.listOccurrences({ job: 'a', status: 'skipped' })).map((r) => r.scheduledAt.toISOString());
    expect(missed).toEqual(['2026-05-01T10:00:00.000Z', '2026-05-01T09:59:59.000Z', '2026-05-01T09:59:58.000Z']);
    expect(s.events).toMatchObject([{ type: 'job.missed', resource: 'Job/a' }]);
    await s.clock.advance(1000);
    await settle();
    expect(s.ran).toEqual(['a@2026-05-01T10:00:01.000Z']);
    await s.scheduler.stop();
  });

  it('leaves no slot unrecorded when a refresh comes while catch-up is still writing', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [{ name: 'a', schedule: '@every 1s', shell: { command: 'a' } }], {
      lastSlot: { a: '2026-05-01T09:59:58.000Z' },
    });
    // The store takes 3 s (of the fake clock) to record the missed slots.
    const claimMany = s.store.claimOccurrences.bind(s.store);
    s.store.claimOccurrences = async (claims) => {
      if (claims.some((c) => c.skip)) await s.clock.sleep(3000);
      return claimMany(claims);
    };
    await s.scheduler.start();
    const { epoch } = await s.store.takeLeadership('test', s.clock.now());
    s.elect2(epoch);
    await s.clock.advance(2000);
    await s.scheduler.refresh();
    await s.clock.advance(4000);
    await settle();
    const times = (await s.store.listOccurrences({ job: 'a', limit: 100 })).map((r) => r.scheduledAt.toISOString()).reverse();
    expect(times).toEqual([
      '2026-05-01T09:59:58.000Z',
      '2026-05-01T09:59:59.000Z',
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T10:00:01.000Z',
      '2026-05-01T10:00:02.000Z',
      '2026-05-01T10:00:03.000Z',
      '2026-05-01T10:00:04.000Z',
      '2026-05-01T10:00:05.000Z',
      '2026-05-01T10:00:06.000Z',
    ]);
    await s.scheduler.stop();
  });

  it('stops scheduling the moment it is deposed', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [{ name: 'a', schedule: '@every 1s', shell: { command: 'a' } }]);
    await s.scheduler.start();
    await s.elect();
    await s.clock.advance(1000);
    s.depose();
    await s.clock.advance(5000);
    await settle();
    expect(s.ran).toEqual(['a@2026-05-01T10:00:01.000Z']);
    await s.scheduler.stop();
  });

  it('re-arms a job whose schedule changed and drops a removed one', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [
      { name: 'a', schedule: '@every 1s', shell: { command: 'a' } },
      { name: 'gone', schedule: '@every 1s', shell: { command: 'x' } },
    ]);
    await s.scheduler.start();
    await s.elect();
    await s.clock.advance(1000);
    await settle();
    const spec = { name: 'a', schedule: '@every 5s', shell: { command: 'a' } };
    s.setApplied([{ kind: 'Job', name: 'a', spec, specHash: 'v2', revisionId: 2, appliedAt: s.clock.now(), protect: false }]);
    await s.scheduler.refresh();
    s.ran.length = 0;
    await s.clock.advance(9000);
    await settle();
    expect(s.ran).toEqual(['a@2026-05-01T10:00:05.000Z', 'a@2026-05-01T10:00:10.000Z']);
    await s.scheduler.stop();
  });

  it('runs a Europe/Berlin daily job once on the spring-forward and fall-back days', async () => {
    const s = setup('2026-03-28T12:00:00Z', [
      { name: 'nightly', schedule: '30 2 * * *', timezone: 'Europe/Berlin', shell: { command: 'n' } },
    ]);
    await s.scheduler.start();
    await s.elect();
    for (let h = 0; h < 48; h++) await s.clock.advance(3_600_000);
    await settle();
    expect(s.ran).toEqual(['nightly@2026-03-29T01:30:00.000Z', 'nightly@2026-03-30T00:30:00.000Z']);
    await s.scheduler.stop();
  });

  it('trims history to history.keep', async () => {
    const s = setup('2026-05-01T10:00:00.500Z', [
      { name: 'a', schedule: '@every 1s', shell: { command: 'a' }, history: { keep: 3 } },
    ]);
    await s.scheduler.start();
    await s.elect();
    for (let i = 0; i < 10; i++) await s.clock.advance(1000);
    await settle();
    await s.scheduler.prune();
    const kept = await s.store.listOccurrences({ job: 'a' });
    expect(kept.map((r) => r.scheduledAt.toISOString())).toEqual([
      '2026-05-01T10:00:10.000Z',
      '2026-05-01T10:00:09.000Z',
      '2026-05-01T10:00:08.000Z',
    ]);
    await s.scheduler.stop();
  });

  it('claims a slot ahead of its time and starts it on time', async () => {
    const s = setup('2026-05-01T10:00:00.000Z', [{ name: 'a', schedule: '@every 10s', shell: { command: 'a' } }], {
      aheadMs: 500,
    });
    await s.scheduler.start();
    await s.elect();
    await s.clock.advance(9_600);
    await settle();
    expect((await s.store.listOccurrences({ job: 'a', status: 'running' })).map((r) => r.scheduledAt.toISOString())).toEqual([
      '2026-05-01T10:00:10.000Z',
    ]);
    expect(s.ran).toEqual([]);
    await s.clock.advance(400);
    await settle();
    expect(s.ran).toEqual(['a@2026-05-01T10:00:10.000Z']);
    await s.scheduler.stop();
  });

  it('lists the next runs of a job', async () => {
    const s = setup('2026-05-01T10:00:00Z', [
      { name: 'a', schedule: '0 3 * * *', timezone: 'Europe/Berlin', shell: { command: 'a' } },
    ]);
    await s.scheduler.start();
    expect(s.scheduler.upcoming('a', 2).map((x) => x.toISOString())).toEqual([
      '2026-05-02T01:00:00.000Z',
      '2026-05-03T01:00:00.000Z',
    ]);
    await s.scheduler.stop();
  });
});
