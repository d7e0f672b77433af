import type { Kind } from '../model/resource.js';
import type { DeploymentStore } from './deployment-store.js';
import type { MonitorStore } from './monitor-store.js';
import type { JobStore } from './job-store.js';

/**
 * The store port: everything Ploy remembers. Two adapters implement it over the same SQL
 * (PostgreSQL through postgres.js, and embedded PGlite); one contract suite runs against both.
 * Values typed `unknown` are JSON documents the store keeps as they are (jsonb).
 */
export interface Store extends DeploymentStore, MonitorStore, JobStore {
  /** Random per-installation key, created with the store; keys the digests of secret values. */
  secretKey(): Promise<Uint8Array>;

  recordRevision(r: NewRevision): Promise<RevisionRecord>;
  /** Marks a revision as applied/failed/planned, with its diagnostics when it failed validation. */
  updateRevision(id: number, patch: { status: RevisionStatus; diagnostics?: unknown }): Promise<void>;
  getRevision(id: number): Promise<RevisionRecord | undefined>;
  listRevisions(opts?: { limit?: number; beforeId?: number }): Promise<RevisionRecord[]>;
  /** The newest revision with status `applied`: what runs now. */
  lastAppliedRevision(): Promise<RevisionRecord | undefined>;

  recordPlan(p: NewPlan): Promise<PlanRecord>;
  getPlan(id: number): Promise<PlanRecord | undefined>;
  listPlans(opts?: { limit?: number; revisionId?: number }): Promise<PlanRecord[]>;

  startApply(a: NewApply): Promise<ApplyRecord>;
  /**
   * Records one change's result and, in the same transaction, what is now applied for that
   * resource: `put` the new last-applied spec, or `remove` it (deleted). Never half-done.
   */
  recordChangeResult(applyId: number, result: ChangeResultRecord, applied?: AppliedMutation): Promise<void>;
  /** Sets the final status; `finishedAt` defaults to now (pass the Clock's time). */
  finishApply(applyId: number, status: ApplyStatus, finishedAt?: Date): Promise<ApplyRecord>;
  /** After a crash: applies still `running` become `interrupted`. Returns how many. */
  markInterruptedApplies(at: Date): Promise<number>;
  getApply(id: number): Promise<(ApplyRecord & { results: ChangeResultRecord[] }) | undefined>;
  listApplies(opts?: { limit?: number }): Promise<ApplyRecord[]>;

  /** The last-applied spec of every resource (redacted: secrets are digests). */
  listApplied(): Promise<AppliedResource[]>;

  recordEvent(e: NewEvent): Promise<EventRecord>;
  /**
   * Newest first. With `afterId`, oldest first from just after that id instead, so a reader
   * polling for new events with a limit never skips any.
   */
  listEvents(opts?: { limit?: number; type?: string; resource?: string; afterId?: number }): Promise<EventRecord[]>;

  close(): Promise<void>;
}

export type RevisionStatus = 'pending' | 'planned' | 'applied' | 'failed' | 'invalid' | 'superseded';

export interface NewRevision {
  /** Commit SHA for git sources; a content hash of the files for a plain directory. */
  commit: string;
  source: string;
  author?: string;
  message?: string;
  committedAt?: Date;
  status: RevisionStatus;
  diagnostics?: unknown;
}
export interface RevisionRecord extends Required<Omit<NewRevision, 'author' | 'message' | 'committedAt'>> {
  id: number;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
  createdAt: Date;
}

export interface NewPlan {
  revisionId: number | null;
  /** The versioned JSON form of the plan (plan/document.ts). */
  plan: unknown;
  /** Hash of the actual state the plan was computed from. */
  actualHash: string;
  /** Counts by action, for cheap listing. */
  summary: { create: number; update: number; replace: number; delete: number };
}
export interface PlanRecord extends NewPlan {
  id: number;
  createdAt: Date;
}

export type ApplyStatus = 'running' | 'succeeded' | 'failed' | 'partial' | 'interrupted';
export interface NewApply {
  planId: number;
  revisionId: number | null;
  /** What started it: 'cli', 'startup', 'file-change', 'self-heal', 'webhook', ... */
  trigger: string;
  startedAt: Date;
  /** Why it ran: the commit, the files and the fields that changed. */
  reason?: unknown;
}
export interface ApplyRecord extends NewApply {
  id: number;
  status: ApplyStatus;
  finishedAt: Date | null;
}

export type ChangeStatus = 'succeeded' | 'failed' | 'skipped' | 'pending';
export interface ChangeResultRecord {
  kind: Kind;
  name: string;
  action: 'create' | 'update' | 'replace' | 'delete';
  status: ChangeStatus;
  message?: string;
  startedAt: Date;
  finishedAt: Date;
  /** Extra facts of the change (containers touched, log tail, ...). */
  detail?: unknown;
}

export interface AppliedResource {
  kind: Kind;
  name: string;
  /** The redacted, defaulted spec as applied. */
  spec: unknown;
  specHash: string;
  revisionId: number | null;
  appliedAt: Date;
  protect: boolean;
}
export type AppliedMutation =
  { put: Omit<AppliedResource, 'appliedAt'> & { appliedAt: Date } } | { remove: { kind: Kind; name: string } };

export interface NewEvent {
  /** `deploy.failed`, `sync.failed`, `monitor.down`, ... */
  type: string;
  /** `Kind/name` when the event is about one resource. */
  resource?: string;
  message: string;
  data?: unknown;
  at: Date;
}
export interface EventRecord extends NewEvent {
  id: number;
}

/**
 * The store cannot be reached or opened (database down, refused, bad credentials, embedded
 * store in use). A fault of the machine, not of the user's config. The message never contains
 * a password; `cause` holds the driver's error.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The embedded store's data dir is held by another live process (PGlite allows one). */
export class StoreInUseError extends StoreUnavailableError {
  override readonly name: string = 'StoreInUseError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the embedded store at ${dir} is in use by process ${pid}`);
  }
}

export type * from './deployment-store.js';
