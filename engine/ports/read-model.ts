import type { Kind } from '../model/resource.js';
import type { ApplyRecord, ChangeResultRecord, EventRecord, PlanRecord, RevisionRecord } from './store.js';

/**
 * The read side for the API and metrics: paged, filtered and batched reads of what the Store
 * records, plus the runtime tables (deployments, heartbeats, rollups, monitor state,
 * occurrences, deliveries) that the runtimes write. Read-only by construction: nothing here
 * changes state. Every `…ByX(keys)` method answers many keys in one statement, so a page of
 * 1,000 resources costs a constant number of queries (the API's DataLoaders call these).
 */
export interface ReadModel {
  revisions(q: Page & TimeRange & { status?: readonly string[] }): Promise<RevisionRecord[]>;
  revisionsByIds(ids: readonly number[]): Promise<RevisionRecord[]>;
  plans(q: Page & TimeRange & { revisionId?: number }): Promise<PlanRecord[]>;
  plansByIds(ids: readonly number[]): Promise<PlanRecord[]>;
  /** The newest plan recorded for each revision. */
  latestPlansByRevisions(revisionIds: readonly number[]): Promise<PlanRecord[]>;
  applies(q: Page & TimeRange & { status?: readonly string[]; revisionId?: number }): Promise<ApplyRecord[]>;
  appliesByIds(ids: readonly number[]): Promise<ApplyRecord[]>;
  /** Per-change results of these applies, in the order they were recorded. */
  changeResultsByApplies(applyIds: readonly number[]): Promise<StoredChangeResult[]>;
  /** The newest change result of each resource (`Kind/name`). */
  lastChangeResults(keys: readonly string[]): Promise<StoredChangeResult[]>;
  events(q: Page & TimeRange & { types?: readonly string[]; resources?: readonly string[] }): Promise<EventRecord[]>;
  eventsByIds(ids: readonly number[]): Promise<EventRecord[]>;
  /** The leader row (several engines on one PostgreSQL); undefined before any election. */
  leader(): Promise<LeaderRecord | undefined>;

  deployments(q: Page & TimeRange & { apps?: readonly string[]; status?: readonly string[] }): Promise<DeploymentRecord[]>;
  latestDeployments(apps: readonly string[]): Promise<DeploymentRecord[]>;
  monitorStates(monitors: readonly string[]): Promise<MonitorStateRecord[]>;
  /** Uptime and latency of each monitor over one window, from rollups plus the raw rows after them. */
  uptime(monitors: readonly string[], window: { since: Date; until: Date }): Promise<UptimeRecord[]>;
  heartbeats(q: Page & TimeRange & { monitor: string; ok?: boolean }): Promise<HeartbeatRecord[]>;
  /** One monitor's rollup buckets of one size whose start lies in the range, oldest first (charts, uptime bars). */
  rollups(q: TimeRange & { monitor: string; bucket: 'hour' | 'day' }): Promise<RollupRecord[]>;
  /** Occurrences of jobs; `ran` true: executions (started), false: slots that never ran (with a reason). */
  occurrences(
    q: Page & TimeRange & { jobs?: readonly string[]; ran: boolean; status?: readonly string[] },
  ): Promise<OccurrenceRecord[]>;
  /** The newest execution (an occurrence that started) of each job. */
  latestExecutions(jobs: readonly string[]): Promise<OccurrenceRecord[]>;
  deliveries(q: Page & TimeRange & { notifications?: readonly string[]; status?: readonly string[] }): Promise<DeliveryRecord[]>;
  latestDeliveries(notifications: readonly string[]): Promise<DeliveryRecord[]>;
  /** Counts for metrics, one statement each. */
  counts(): Promise<RuntimeCounts>;
}

/**
 * Keyset paging over ids, newest first. `after`: older than that id; `before`: newer than it.
 * `inverted` reads from the other end (oldest first) — the caller reverses. `limit` rows at most.
 */
export interface Page {
  after?: number;
  before?: number;
  limit: number;
  inverted?: boolean;
}
export interface TimeRange {
  since?: Date;
  until?: Date;
}

export interface StoredChangeResult extends ChangeResultRecord {
  id: number;
  applyId: number;
}

export interface LeaderRecord {
  epoch: number;
  holder: string | null;
  since: Date | null;
}

export interface DeploymentRecord {
  id: number;
  app: string;
  revisionId: number | null;
  applyId: number | null;
  specHash: string;
  strategy: string | null;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  logTail: string | null;
}

export interface MonitorStateRecord {
  monitor: string;
  state: string;
  since: Date;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastResult: unknown;
  updatedAt: Date;
}

/** Latencies in milliseconds; null when the window holds no timed check. */
export interface UptimeRecord {
  monitor: string;
  checks: number;
  successes: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

/** One hourly or daily bucket of a monitor's checks; latencies in milliseconds. */
export interface RollupRecord {
  start: Date;
  checks: number;
  successes: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

export interface HeartbeatRecord {
  id: number;
  monitor: string;
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  status: string | null;
  conditions: unknown;
  error: string | null;
}

export interface OccurrenceRecord {
  id: number;
  job: string;
  scheduledAt: Date;
  status: string;
  reason: string | null;
  trigger: string;
  attempt: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  output: string | null;
  triggeredBy: string | null;
}

export interface DeliveryRecord {
  id: number;
  notification: string;
  eventId: number | null;
  status: string;
  attempts: number;
  error: string | null;
  at: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** What /metrics reports from the runtime tables. */
export interface RuntimeCounts {
  monitors: Array<{ monitor: string; up: boolean; latencyMs: number | null }>;
  jobRuns: Array<{ job: string; status: string; count: number }>;
  /** Start minus scheduled time of recent executions, in seconds. */
  scheduleLagSeconds: number[];
  deliveries: Array<{ notification: string; status: string; count: number }>;
  deployments: Array<{ app: string; status: string; count: number }>;
}

/** `Kind/name` of a resource, as events and change results name it. */
export const keyOf = (kind: Kind, name: string) => `${kind}/${name}`;
