import { describe, expect, it } from 'vitest';
import { catchUp } from './catch-up.js';
import { toJobDefinition } from './job-definition.js';
import type { RunnableJob } from './run-request.js';

const applied = new Date('2026-05-01T00:00:00Z');
function job(spec: Record<string, unknown>): RunnableJob {
  const def = toJobDefinition('backup', { shell: { command: 'true' }, ...spec }, 'h', applied);
  if ('error' in def) throw new Error(def.error);
  return { ...def, revealed: def.runner };
}
const d = (s: string) => new Date(s);

describe('catching up after downtime', () => {
  it('records every slot missed since the last scheduled one as skipped (policy skip, the default)', () => {
    const plan = catchUp(job({ schedule: '0 * * * *' }), d('2026-05-01T10:00:00Z'), d('2026-05-01T13:30:00Z'));
    expect(plan.missed).toBe(3);
    expect(plan.runs).toBe(false);
    expect(plan.requests.map((r) => [r.scheduledAt.toISOString(), r.trigger, r.skip])).toEqual([
      ['2026-05-01T11:00:00.000Z', 'schedule', 'missed while no engine was scheduling (missed.policy: skip)'],
      ['2026-05-01T12:00:00.000Z', 'schedule', 'missed while no engine was scheduling (missed.policy: skip)'],
      ['2026-05-01T13:00:00.000Z', 'schedule', 'missed while no engine was scheduling (missed.policy: skip)'],
    ]);
  });

  it('runOnce runs the newest missed slot and records the others as skipped', () => {
    const plan = catchUp(
      job({ schedule: '0 * * * *', missed: { policy: 'runOnce', deadline: '1h' } }),
      d('2026-05-01T10:00:00Z'),
      d('2026-05-01T13:30:00Z'),
    );
    expect(plan.runs).toBe(true);
    expect(plan.missed).toBe(2);
    const last = plan.requests.at(-1)!;
    expect([last.scheduledAt.toISOString(), last.trigger, last.skip]).toEqual(['2026-05-01T13:00:00.000Z', 'missed', undefined]);
    expect(plan.requests.slice(0, -1).every((r) => r.skip?.includes('runOnce ran the newest'))).toBe(true);
  });

  it('runOnce past its deadline skips them all', () => {
    const plan = catchUp(
      job({ schedule: '0 * * * *', missed: { policy: 'runOnce', deadline: '10m' } }),
      d('2026-05-01T10:00:00Z'),
      d('2026-05-01T13:30:00Z'),
    );
    expect(plan.runs).toBe(false);
    expect(plan.requests.every((r) => r.skip?.includes('past the runOnce deadline'))).toBe(true);
  });

  it("counts from the apply when the job never ran, and records a suspended job's slots as suspended", () => {
    const plan = catchUp(job({ schedule: '0 * * * *', suspend: true }), undefined, d('2026-05-01T02:10:00Z'));
    expect(plan.requests.map((r) => r.skip)).toEqual(['suspended', 'suspended']);
  });

  it('keeps only the newest history.keep slots of a long outage, and says how many there were', () => {
    const plan = catchUp(
      job({ schedule: '@every 1s', history: { keep: 5 } }),
      d('2026-05-01T10:00:00Z'),
      d('2026-05-01T11:00:00Z'),
    );
    expect(plan.missed).toBe(3600);
    expect(plan.requests).toHaveLength(5);
    expect(plan.requests.at(-1)!.scheduledAt.toISOString()).toBe('2026-05-01T11:00:00.000Z');
  });

  it('has nothing to do right after the last slot', () => {
    expect(catchUp(job({ schedule: '0 * * * *' }), d('2026-05-01T10:00:00Z'), d('2026-05-01T10:59:59Z')).requests).toEqual([]);
  });
});
