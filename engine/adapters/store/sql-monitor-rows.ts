import type {
  ConditionOutcome,
  DeliveryRecord,
  DeliveryStatus,
  Heartbeat,
  HeartbeatRecord,
  HeartbeatRollup,
  MonitorStateRecord,
  MonitorStatus,
  RollupBucket,
} from '../../ports/monitor-store.js';

/** bigint columns arrive as string, number or bigint depending on the driver. */
type Id = string | number | bigint;
const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export interface HeartbeatRow {
  id: Id;
  monitor: string;
  at: Date;
  ok: boolean;
  latency_ms: number | null;
  status: string | null;
  conditions: ConditionOutcome[] | null;
  error: string | null;
}
export interface RollupRow {
  monitor: string;
  bucket: string;
  bucket_start: Date;
  checks: number;
  successes: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
}
export interface MonitorStateRow {
  monitor: string;
  state: string;
  since: Date;
  consecutive_failures: number;
  consecutive_successes: number;
  last_result: (Omit<Heartbeat, 'at'> & { at: string }) | null;
  last_notified_at: Date | null;
  last_push_at: Date | null;
}
export interface DeliveryRow {
  id: Id;
  notification: string;
  event_id: Id | null;
  status: string;
  attempts: number;
  error: string | null;
  at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
}

export const toHeartbeat = (r: HeartbeatRow): HeartbeatRecord => ({
  id: Number(r.id),
  monitor: r.monitor,
  at: r.at,
  ok: r.ok,
  latencyMs: orUndefined(r.latency_ms === null ? null : Number(r.latency_ms)),
  status: orUndefined(r.status),
  conditions: orUndefined(r.conditions),
  error: orUndefined(r.error),
});

export const toRollup = (r: RollupRow): HeartbeatRollup => ({
  monitor: r.monitor,
  bucket: r.bucket as RollupBucket,
  bucketStart: r.bucket_start,
  checks: Number(r.checks),
  successes: Number(r.successes),
  latencyP50: r.latency_p50 === null ? null : Number(r.latency_p50),
  latencyP95: r.latency_p95 === null ? null : Number(r.latency_p95),
  latencyP99: r.latency_p99 === null ? null : Number(r.latency_p99),
});

export const toMonitorState = (r: MonitorStateRow): MonitorStateRecord => ({
  monitor: r.monitor,
  state: r.state as MonitorStatus,
  since: r.since,
  consecutiveFailures: Number(r.consecutive_failures),
  consecutiveSuccesses: Number(r.consecutive_successes),
  // jsonb holds the date as text; the record gives it back as a Date.
  lastResult: r.last_result ? { ...r.last_result, at: new Date(r.last_result.at) } : undefined,
  lastNotifiedAt: orUndefined(r.last_notified_at),
  lastPushAt: orUndefined(r.last_push_at),
});

export const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: Number(r.id),
  notification: r.notification,
  eventId: r.event_id === null ? null : Number(r.event_id),
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  error: r.error,
  at: r.at,
  nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at,
});
