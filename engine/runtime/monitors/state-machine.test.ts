import { describe, expect, it } from 'vitest';
import type { Heartbeat, MonitorStateRecord } from '../../ports/monitor-store.js';
import { initialState, step, type StepOutput, type Suppression } from './state-machine.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const fail: Omit<Heartbeat, 'at'> = {
  monitor: 'api',
  ok: false,
  error: '[STATUS] (503) == 200',
  conditions: [{ condition: '[STATUS] == 200', success: false, resolved: '[STATUS] (503) == 200' }],
};
const pass: Omit<Heartbeat, 'at'> = { monitor: 'api', ok: true };

/** Feeds checks one per 10 s and returns every step's output. */
function run(
  results: Array<Omit<Heartbeat, 'at'>>,
  opts: { from?: MonitorStateRecord; reminderMs?: number; suppressed?: (i: number) => Suppression | undefined } = {},
): StepOutput[] {
  let state = opts.from ?? initialState('api', t0);
  return results.map((r, i) => {
    const now = at((i + 1) * 10);
    const out = step({
      prev: state,
      beat: { ...r, at: now },
      thresholds: { failure: 3, success: 2, reminderMs: opts.reminderMs },
      now,
      suppressed: opts.suppressed?.(i),
    });
    state = out.next;
    return out;
  });
}
const alerts = (outs: StepOutput[]) =>
  outs.map((o) => (o.alert ? `${o.alert.type}:${o.alert.kind}${o.alert.suppressed ? `:${o.alert.suppressed}` : ''}` : '-'));

describe('the monitor state machine', () => {
  it('is UP on its first success without telling anyone', () => {
    const [out] = run([pass]);
    expect(out.next.state).toBe('up');
    expect(out.alert).toBeUndefined();
  });

  it('goes DOWN only after failureThreshold failed checks in a row, with the failing conditions', () => {
    const outs = run([pass, fail, fail, pass, fail, fail, fail]);
    expect(outs.map((o) => o.next.state)).toEqual(['up', 'up', 'up', 'up', 'up', 'up', 'down']);
    expect(outs[6].alert).toMatchObject({
      type: 'monitor.down',
      kind: 'change',
      since: at(70),
      failing: [{ resolved: '[STATUS] (503) == 200' }],
    });
    expect(outs[6].next.lastResult?.error).toBe('[STATUS] (503) == 200');
  });

  it('comes back UP after successThreshold passed checks, telling how long it was down', () => {
    const outs = run([fail, fail, fail, pass, fail, pass, pass]);
    expect(alerts(outs)).toEqual(['-', '-', 'monitor.down:change', '-', '-', '-', 'monitor.up:change']);
    expect(outs[6].alert?.since).toEqual(at(30));
  });

  it('reminds every reminderInterval while down', () => {
    const outs = run([fail, fail, fail, fail, fail, fail, fail], { reminderMs: 20_000 });
    expect(alerts(outs)).toEqual(['-', '-', 'monitor.down:change', '-', 'monitor.down:reminder', '-', 'monitor.down:reminder']);
  });

  it('holds alerts back while suppressed, sends the down when the hold ends, and the up after it', () => {
    const outs = run([fail, fail, fail, fail, fail, pass, pass], { suppressed: (i) => (i < 4 ? 'maintenance' : undefined) });
    expect(alerts(outs)).toEqual([
      '-',
      '-',
      'monitor.down:change:maintenance',
      '-',
      'monitor.down:released',
      '-',
      'monitor.up:change',
    ]);
  });

  it('sends no up for an outage nobody was told about', () => {
    const outs = run([fail, fail, fail, pass, pass], { suppressed: () => 'dependency' });
    expect(alerts(outs)).toEqual(['-', '-', 'monitor.down:change:dependency', '-', '-']);
    expect(outs[4].next.state).toBe('up');
  });

  it('caps its counters so that a steady monitor changes nothing that must be stored', () => {
    const outs = run([pass, pass, pass, pass, fail, fail, fail, fail, fail]);
    expect(outs.map((o) => o.changed)).toEqual([true, true, false, false, true, true, true, false, false]);
  });

  it('resumes from a stored state: a restart while down does not alert again', () => {
    const from: MonitorStateRecord = {
      monitor: 'api',
      state: 'down',
      since: t0,
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      lastNotifiedAt: t0,
    };
    expect(alerts(run([fail, fail], { from }))).toEqual(['-', '-']);
  });
});
