import { describe, expect, it } from 'vitest';
import type { AttemptResult, RunContext } from '../../executors/types.js';
import type { EngineEvent } from '../../ports/events.js';
import { SteppingClock as FakeClock, settle } from '../../../test/support/stepping-clock.js';
import { MemoryJobStore } from '../../../test/support/memory-job-store.js';
import { toJobDefinition } from './job-definition.js';
import { JobRuns } from './job-runs.js';
import type { RunnableJob } from './run-request.js';
import { WorkerPool } from './worker-pool.js';

const T0 = '2026-05-01T10:00:00.000Z';

function job(name: string, spec: Record<string, unknown> = {}): RunnableJob {
  const def = toJobDefinition(name, { schedule: '@every 1m', shell: { command: name }, ...spec }, 'h1', new Date(T0));
  if ('error' in def) throw new Error(def.error);
  return { ...def, revealed: def.runner };
}

/** A scripted runner: each attempt of a job waits until the test finishes it. */
function harness(jobs: RunnableJob[] = []) {
  // An hour after the slots the tests use: their runs are due at once.
  const clock = new FakeClock('2026-05-01T11:00:00.000Z');
  const store = new MemoryJobStore();
  const events: EngineEvent[] = [];
  const attempts: Array<{ job: string; ctx: RunContext; finish(r: AttemptResult): void }> = [];
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const runs = new JobRuns({
    store,
    clock,
    events: { emit: async (e) => void events.push(e) },
    pool: new WorkerPool(8),
    runners: {},
    epoch: () => store.leader.epoch,
    job: (n) => byName.get(n),
    backoff: { baseMs: 1000, maxMs: 60_000 },
    finishLingerMs: 0,
    attempt: (_spec, ctx) =>
      new Promise<AttemptResult>((resolve) => {
        const a = { job: ctx.job, ctx, finish: resolve };
        attempts.push(a);
        // A runner honours its cancellation, as the real ones do.
        ctx.cancel.onAbort(() => resolve({ ok: false, exitCode: null, message: String(ctx.cancel.reason) }));
      }),
  });
  const at = (s: number) => new Date(new Date(T0).getTime() + s * 1000);
  return { clock, store, events, attempts, runs, at };
}

describe('JobRuns policies (fake clock)', () => {
  it('records a slot once: a second claim of the same (job, time) is refused', async () => {
    const h = harness();
    const j = job('a');
    const first = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    const second = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    expect('occurrence' in first).toBe(true);
    expect(second).toEqual({ refused: 'taken' });
  });

  it('refuses claims made under a stale epoch', async () => {
    const h = harness();
    const j = job('a');
    await h.store.takeLeadership('other', h.clock.now());
    const stale = new JobRuns({
      store: h.store,
      clock: h.clock,
      events: { emit: async () => {} },
      pool: new WorkerPool(1),
      runners: {},
      epoch: () => 0,
      job: () => undefined,
    });
    expect(await stale.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' })).toEqual({ refused: 'stale-epoch' });
  });

  it('concurrency forbid: a slot due while the previous run runs is recorded as skipped (overlap)', async () => {
    const h = harness();
    const j = job('a', { concurrency: 'forbid' });
    await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    const second = await h.runs.dispatch({ job: j, scheduledAt: h.at(120), trigger: 'schedule' });
    const skipped = 'done' in second ? await second.done : undefined;
    expect(skipped).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^overlap/) });
    // Manual runs obey it too (croner's trigger() would not).
    const manual = await h.runs.dispatch({ job: j, scheduledAt: h.at(121), trigger: 'manual' });
    expect('done' in manual && (await manual.done).status).toBe('skipped');
    expect(h.attempts).toHaveLength(1);
    expect((await h.store.listOccurrences({ job: 'a', status: 'skipped' })).length).toBe(2);
  });

  it('concurrency allow: runs overlap', async () => {
    const h = harness();
    const j = job('a', { concurrency: 'allow' });
    await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await h.runs.dispatch({ job: j, scheduledAt: h.at(120), trigger: 'schedule' });
    await settle();
    expect(h.attempts).toHaveLength(2);
    expect(h.runs.running('a')).toBe(2);
  });

  it('concurrency replace: the running run is stopped (cancelled) and the new one runs', async () => {
    const h = harness();
    const j = job('a', { concurrency: 'replace' });
    const first = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    const second = await h.runs.dispatch({ job: j, scheduledAt: h.at(120), trigger: 'manual' });
    await settle();
    expect('done' in first && (await first.done).status).toBe('cancelled');
    expect(h.attempts).toHaveLength(2);
    h.attempts[1].finish({ ok: true, exitCode: 0 });
    expect('done' in second && (await second.done).status).toBe('succeeded');
  });

  it('times out through the clock: the run fails with the reason and the runner sees its signal abort', async () => {
    const h = harness();
    const j = job('a', { timeout: '30s' });
    const d = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await h.clock.advance(29_000);
    expect(h.attempts[0].ctx.cancel.aborted).toBe(false);
    await h.clock.advance(1_000);
    const done = 'done' in d ? await d.done : undefined;
    expect(done?.status).toBe('failed');
    expect(done?.reason).toBe('timed out after 30s');
  });

  it('retries with exponential backoff (1s, 2s, 4s) and records the attempt that succeeded', async () => {
    const h = harness();
    const j = job('a', { retries: 3 });
    const d = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await settle();
      times.push(h.clock.now().getTime());
      expect(h.attempts[i].ctx.ployEnv.PLOY_ATTEMPT).toBe(String(i + 1));
      h.attempts[i].finish({ ok: false, exitCode: 1, message: 'exited with code 1' });
      await settle();
      await h.clock.advance(2 ** i * 1000 - 1);
      expect(h.attempts).toHaveLength(i + 1); // not yet
      await h.clock.advance(1);
    }
    await settle();
    h.attempts[3].finish({ ok: true, exitCode: 0 });
    const done = 'done' in d ? await d.done : undefined;
    expect(done).toMatchObject({ status: 'succeeded', attempt: 4 });
    expect(times.map((t) => t - times[0])).toEqual([0, 1000, 3000]);
  });

  it('gives every run PLOY_SCHEDULED_AT (RFC 3339, UTC), PLOY_JOB and PLOY_ATTEMPT', async () => {
    const h = harness();
    await h.runs.dispatch({ job: job('env-job'), scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    expect(h.attempts[0].ctx.ployEnv).toEqual({
      PLOY_SCHEDULED_AT: '2026-05-01T10:01:00.000Z',
      PLOY_JOB: 'env-job',
      PLOY_ATTEMPT: '1',
    });
  });

  it('emits job.failed when retries run out, and job.recovered on the first success after', async () => {
    const h = harness();
    const j = job('a');
    const d1 = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    h.attempts[0].finish({ ok: false, exitCode: 2, message: 'exited with code 2' });
    if ('done' in d1) await d1.done;
    const d2 = await h.runs.dispatch({ job: j, scheduledAt: h.at(120), trigger: 'schedule' });
    await settle();
    h.attempts[1].finish({ ok: true, exitCode: 0 });
    if ('done' in d2) await d2.done;
    const d3 = await h.runs.dispatch({ job: j, scheduledAt: h.at(180), trigger: 'schedule' });
    await settle();
    h.attempts[2].finish({ ok: true, exitCode: 0 });
    if ('done' in d3) await d3.done;
    expect(h.events.map((e) => e.type)).toEqual(['job.failed', 'job.recovered']);
    expect(h.events[0]).toMatchObject({ resource: 'Job/a', message: 'job a failed: exited with code 2' });
  });

  it('runs then-jobs after a success, recorded as triggered by the parent, and not after a failure', async () => {
    const child = job('child');
    const parent = job('parent', { then: ['child'] });
    const h = harness([parent, child]);
    const d = await h.runs.dispatch({ job: parent, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    h.attempts[0].finish({ ok: true, exitCode: 0 });
    if ('done' in d) await d.done;
    await settle();
    expect(h.attempts.map((a) => a.job)).toEqual(['parent', 'child']);
    const [row] = await h.store.listOccurrences({ job: 'child' });
    expect(row).toMatchObject({ trigger: 'chain', triggeredBy: 'parent@2026-05-01T10:01:00.000Z', status: 'running' });

    const f = await h.runs.dispatch({ job: parent, scheduledAt: h.at(120), trigger: 'schedule' });
    await settle();
    h.attempts[2].finish({ ok: false, exitCode: 1, message: 'no' });
    if ('done' in f) await f.done;
    await settle();
    expect(h.attempts).toHaveLength(3);
  });

  it("a chained run obeys the child job's concurrency: forbid skips it while the child runs", async () => {
    const child = job('child');
    const parent = job('parent', { then: ['child'], concurrency: 'allow' });
    const h = harness([parent, child]);
    await h.runs.dispatch({ job: child, scheduledAt: h.at(30), trigger: 'schedule' });
    const d = await h.runs.dispatch({ job: parent, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    h.attempts[1].finish({ ok: true, exitCode: 0 });
    if ('done' in d) await d.done;
    await settle();
    await settle();
    const chained = (await h.store.listOccurrences({ job: 'child' })).find((r) => r.trigger === 'chain');
    expect(chained).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/overlap/) });
  });

  it('suspend: scheduled slots are recorded as skipped (suspended); manual runs still run', async () => {
    const h = harness();
    const j = job('a', { suspend: true });
    const s = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    expect('occurrence' in s && s.occurrence).toMatchObject({ status: 'skipped', reason: 'suspended' });
    const m = await h.runs.dispatch({ job: j, scheduledAt: h.at(61), trigger: 'manual' });
    expect('occurrence' in m && m.occurrence.status).toBe('running');
  });

  it('gives two manual runs in the same millisecond their own slots', async () => {
    const h = harness();
    const j = job('a', { concurrency: 'allow' });
    const a = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'manual' });
    const b = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'manual' });
    expect(
      'occurrence' in a && 'occurrence' in b && b.occurrence.scheduledAt.getTime() - a.occurrence.scheduledAt.getTime(),
    ).toBe(1);
  });

  it('waits for a slot claimed ahead of its time, then starts it on time', async () => {
    const h = harness();
    const at = new Date(h.clock.now().getTime() + 500);
    const d = await h.runs.dispatch({ job: job('a'), scheduledAt: at, trigger: 'schedule' });
    expect('occurrence' in d && d.occurrence.status).toBe('running');
    await h.clock.advance(499);
    expect(h.attempts).toHaveLength(0);
    await h.clock.advance(1);
    await settle();
    expect(h.attempts).toHaveLength(1);
    h.attempts[0].finish({ ok: true, exitCode: 0 });
    expect('done' in d && (await d.done).startedAt?.toISOString()).toBe(at.toISOString());
  });

  it('stop() interrupts runs in flight and records them', async () => {
    const h = harness();
    const d = await h.runs.dispatch({ job: job('a'), scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    await h.runs.stop();
    expect('done' in d && (await d.done).status).toBe('interrupted');
    expect(h.store.rows[0].status).toBe('interrupted');
  });

  it('runs http jobs on the request pool: they do not queue behind process runs holding every worker', async () => {
    const clock = new FakeClock('2026-05-01T11:00:00.000Z');
    const store = new MemoryJobStore();
    const started: string[] = [];
    const runs = new JobRuns({
      store,
      clock,
      events: { emit: async () => {} },
      pool: new WorkerPool(1),
      requestPool: new WorkerPool(10),
      runners: {},
      epoch: () => store.leader.epoch,
      job: () => undefined,
      finishLingerMs: 0,
      // Every attempt runs until the engine stops.
      attempt: (_spec, ctx) =>
        new Promise<AttemptResult>((resolve) => {
          started.push(ctx.job);
          ctx.cancel.onAbort(() => resolve({ ok: false, exitCode: null }));
        }),
    });
    const web = (name: string) => job(name, { shell: undefined, http: { url: 'http://127.0.0.1:9/' } });
    for (const j of [job('sh-1'), job('sh-2'), web('web-1'), web('web-2')]) {
      await runs.dispatch({ job: j, scheduledAt: new Date(T0), trigger: 'schedule' });
    }
    await settle();
    // One process worker: sh-2 waits for it; both http runs are under way.
    expect(started.sort()).toEqual(['sh-1', 'web-1', 'web-2']);
    await runs.stop();
  });

  it('times a run out through the clock, and a run that ends first leaves no timer behind', async () => {
    const h = harness();
    const j = job('a', { timeout: '30s' });
    const d = await h.runs.dispatch({ job: j, scheduledAt: h.at(60), trigger: 'schedule' });
    await settle();
    await h.clock.advance(29_000);
    expect(h.attempts[0].ctx.cancel.aborted).toBe(false);
    await h.clock.advance(1_000);
    expect(h.attempts[0].ctx.cancel.reason).toBe('timed out after 30s');
    expect('done' in d && (await d.done).reason).toBe('timed out after 30s');
    const quick = await h.runs.dispatch({ job: j, scheduledAt: h.at(120), trigger: 'schedule' });
    await settle();
    h.attempts[1].finish({ ok: true, exitCode: 0 });
    expect('done' in quick && (await quick.done).status).toBe('succeeded');
    // The finished attempt's signal is never aborted by its (cancelled) timeout later.
    await h.clock.advance(60_000);
    expect(h.attempts[1].ctx.cancel.aborted).toBe(false);
  });
});
