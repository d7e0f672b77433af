import type { ConditionOutcome, Heartbeat, MonitorStateRecord } from '../../ports/monitor-store.js';

/** Why an alert is held back: the results are recorded, nobody is paged. */
export type Suppression = 'maintenance' | 'dependency';

/** An alert the step decided on; `suppressed` ones are recorded as events but not delivered. */
export interface Alert {
  type: 'monitor.down' | 'monitor.up';
  /** A repeat while still down (reminderInterval), or a down held back earlier and sent now. */
  kind: 'change' | 'reminder' | 'released';
  suppressed?: Suppression;
  /** When the monitor went down (for up: how long the outage lasted). */
  since: Date;
  failing: ConditionOutcome[];
  error?: string;
}

export interface StepInput {
  prev: MonitorStateRecord;
  beat: Heartbeat;
  thresholds: { failure: number; success: number; reminderMs?: number };
  now: Date;
  suppressed?: Suppression;
}

export interface StepOutput {
  next: MonitorStateRecord;
  alert?: Alert;
  /** Whether `next` differs from `prev` and must be stored. */
  changed: boolean;
}

/** The state a monitor starts in before its first check. */
export const initialState = (monitor: string, now: Date): MonitorStateRecord => ({
  monitor,
  state: 'unknown',
  since: now,
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
});

/**
 * One check's effect on a monitor. Pure. Counters are capped at their thresholds so a steady
 * monitor changes nothing and writes nothing. A new monitor is UP on its first success (nothing
 * was wrong, so nobody is told); `failureThreshold` failures in a row make it DOWN and
 * `successThreshold` successes make a DOWN monitor UP again. A down alert held back (maintenance,
 * a parent down) is sent once the hold ends while still down; an up is only sent after a down was.
 */
export function step({ prev, beat, thresholds, now, suppressed }: StepInput): StepOutput {
  const next: MonitorStateRecord = { ...prev };
  if (beat.ok) {
    next.consecutiveSuccesses = Math.min(prev.consecutiveSuccesses + 1, thresholds.success);
    next.consecutiveFailures = 0;
  } else {
    next.consecutiveFailures = Math.min(prev.consecutiveFailures + 1, thresholds.failure);
    next.consecutiveSuccesses = 0;
  }
  const failing = (beat.conditions ?? []).filter((c) => !c.success);
  const downAlert = (kind: Alert['kind'], since: Date): Alert => ({
    type: 'monitor.down',
    kind,
    since,
    failing,
    error: beat.error,
    ...(suppressed ? { suppressed } : {}),
  });
  let alert: Alert | undefined;

  if (prev.state !== 'down' && !beat.ok && next.consecutiveFailures >= thresholds.failure) {
    Object.assign(next, { state: 'down', since: now, lastResult: beat });
    alert = downAlert('change', now);
    next.lastNotifiedAt = suppressed ? undefined : now;
  } else if (prev.state === 'down' && beat.ok && next.consecutiveSuccesses >= thresholds.success) {
    Object.assign(next, { state: 'up', since: now, lastResult: beat, lastNotifiedAt: undefined });
    const wasAlerted = prev.lastNotifiedAt !== undefined && prev.lastNotifiedAt >= prev.since;
    if (wasAlerted) alert = { type: 'monitor.up', kind: 'change', since: prev.since, failing: [] };
  } else if (prev.state === 'unknown' && beat.ok) {
    Object.assign(next, { state: 'up', since: now, lastResult: beat });
  } else if (prev.state === 'down' && !suppressed) {
    const notified = prev.lastNotifiedAt !== undefined && prev.lastNotifiedAt >= prev.since;
    if (!notified) alert = downAlert('released', prev.since);
    else if (thresholds.reminderMs && now.getTime() - prev.lastNotifiedAt!.getTime() >= thresholds.reminderMs)
      alert = downAlert('reminder', prev.since);
    if (alert) next.lastNotifiedAt = now;
  }
  return { next, alert, changed: !sameState(prev, next) };
}

function sameState(a: MonitorStateRecord, b: MonitorStateRecord): boolean {
  return (
    a.state === b.state &&
    a.since.getTime() === b.since.getTime() &&
    a.consecutiveFailures === b.consecutiveFailures &&
    a.consecutiveSuccesses === b.consecutiveSuccesses &&
    a.lastNotifiedAt?.getTime() === b.lastNotifiedAt?.getTime() &&
    a.lastResult === b.lastResult
  );
}
