/**
 * What the monitor runtime and notification delivery remember: heartbeats and their rollups,
 * each monitor's state, and every delivery. A separate port from Store so it can grow without
 * touching the rest; `Store` extends it, and both SQL adapters implement it.
 */
export interface MonitorStore {
  /** Stores heartbeats in one statement, in the order given. */
  recordHeartbeats(beats: readonly Heartbeat[]): Promise<void>;
  /** Newest first. */
  listHeartbeats(monitor: string, opts?: { limit?: number; since?: Date }): Promise<HeartbeatRecord[]>;
  /**
   * (Re)computes the rollups of every complete `bucket` (hour or day) starting in [from, to):
   * checks, successes, latency p50/p95/p99. Idempotent: a bucket rolled up twice is overwritten.
   * Returns how many rollup rows were written.
   */
  rollUpHeartbeats(bucket: RollupBucket, from: Date, to: Date): Promise<number>;
  listRollups(monitor: string, bucket: RollupBucket, opts?: { since?: Date; limit?: number }): Promise<HeartbeatRollup[]>;
  /** Deletes raw heartbeats older than `rawBefore` and rollups older than `rollupsBefore`. */
  pruneHeartbeats(opts: { rawBefore: Date; rollupsBefore: Date }): Promise<{ heartbeats: number; rollups: number }>;
  /**
   * Uptime (successes / checks, null without checks) over the 24 h, 30 d and 365 d before `now`,
   * in one query: hourly rollups for hours before `rolledUntil`, raw heartbeats after it.
   */
  uptime(monitor: string, now: Date, rolledUntil: Date): Promise<Uptime>;

  listMonitorStates(): Promise<MonitorStateRecord[]>;
  putMonitorState(state: MonitorStateRecord): Promise<void>;
  /** Only the time of the last push (a push monitor's dead-man's switch), without touching the rest. */
  recordPush(monitor: string, at: Date): Promise<void>;
  deleteMonitorState(monitor: string): Promise<void>;

  /** Creates the delivery of an event (or of a test message, `eventId` null) to a channel. */
  startDelivery(d: NewDelivery): Promise<DeliveryRecord>;
  /** Records an attempt's outcome: `delivered`, `retrying` (with `nextAttemptAt`) or `failed`. */
  updateDelivery(id: number, patch: DeliveryPatch): Promise<void>;
  /** Newest first. */
  listDeliveries(opts?: { notification?: string; eventId?: number; limit?: number }): Promise<DeliveryRecord[]>;
  /** Deliveries still `pending` or `retrying` (cut short by a stop), oldest first. */
  unfinishedDeliveries(limit?: number): Promise<DeliveryRecord[]>;
}

/** One check's result. */
export interface Heartbeat {
  monitor: string;
  at: Date;
  ok: boolean;
  latencyMs?: number;
  /** What the probe saw, in a few words: `200`, `NOERROR`, `running (healthy)`. */
  status?: string;
  /** Each evaluated condition, resolved Gatus-style. */
  conditions?: ConditionOutcome[];
  error?: string;
}
export interface HeartbeatRecord extends Heartbeat {
  id: number;
}

/** One evaluated condition: `[STATUS] (503) == 200` and whether it held. */
export interface ConditionOutcome {
  condition: string;
  success: boolean;
  resolved: string;
}

export type RollupBucket = 'hour' | 'day';
export interface HeartbeatRollup {
  monitor: string;
  bucket: RollupBucket;
  bucketStart: Date;
  checks: number;
  successes: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

export interface Uptime {
  '24h': number | null;
  '30d': number | null;
  '365d': number | null;
}

export type MonitorStatus = 'unknown' | 'up' | 'down';
export interface MonitorStateRecord {
  monitor: string;
  state: MonitorStatus;
  /** When the monitor entered this state. */
  since: Date;
  /** Failed checks in a row, capped at the failure threshold (so a steady state writes nothing). */
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** The check that caused the last change of state (failing conditions included). */
  lastResult?: Heartbeat;
  /** When a monitor.down (or its reminder) was last sent for this outage. */
  lastNotifiedAt?: Date;
  lastPushAt?: Date;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';
export interface NewDelivery {
  notification: string;
  eventId: number | null;
  at: Date;
}
export interface DeliveryPatch {
  status: DeliveryStatus;
  attempts: number;
  /** Never contains a secret: notifiers scrub what they report. */
  error?: string | null;
  nextAttemptAt?: Date | null;
  deliveredAt?: Date | null;
}
export interface DeliveryRecord extends NewDelivery {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}
