import type { Kind } from '../../model/resource.js';
import type {
  AppliedResource,
  ApplyRecord,
  ApplyStatus,
  ChangeResultRecord,
  EventRecord,
  PlanRecord,
  RevisionRecord,
  RevisionStatus,
} from '../../ports/store.js';

// Rows as the drivers return them: snake_case, bigint ids as string (postgres.js) or number
// (PGlite), timestamptz as Date, jsonb already parsed.
export type Id = string | number | bigint;

export interface RevisionRow {
  id: Id;
  commit: string;
  source: string;
  author: string | null;
  message: string | null;
  committed_at: Date | null;
  status: string;
  diagnostics: unknown;
  created_at: Date;
}
export interface PlanRow {
  id: Id;
  revision_id: Id | null;
  plan: unknown;
  actual_hash: string;
  create_count: number;
  update_count: number;
  replace_count: number;
  delete_count: number;
  created_at: Date;
}
export interface ApplyRow {
  id: Id;
  plan_id: Id;
  revision_id: Id | null;
  trigger: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  reason?: unknown;
}
export interface ChangeResultRow {
  kind: string;
  name: string;
  action: string;
  status: string;
  message: string | null;
  started_at: Date;
  finished_at: Date;
  detail: unknown;
}
export interface AppliedRow {
  kind: string;
  name: string;
  spec: unknown;
  spec_hash: string;
  revision_id: Id | null;
  applied_at: Date;
  protect: boolean;
}
export interface EventRow {
  id: Id;
  type: string;
  resource: string | null;
  message: string;
  data: unknown;
  at: Date;
}

/** JSON for a `$n::text::jsonb` parameter (see sql-driver.ts); undefined becomes SQL NULL. */
export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export const num = (v: Id): number => Number(v);
export const numOrNull = (v: Id | null): number | null => (v === null ? null : Number(v));

export const toRevision = (r: RevisionRow): RevisionRecord => ({
  id: num(r.id),
  commit: r.commit,
  source: r.source,
  author: r.author,
  message: r.message,
  committedAt: r.committed_at,
  status: r.status as RevisionStatus,
  diagnostics: r.diagnostics ?? null,
  createdAt: r.created_at,
});

export const toPlan = (r: PlanRow): PlanRecord => ({
  id: num(r.id),
  revisionId: numOrNull(r.revision_id),
  plan: r.plan,
  actualHash: r.actual_hash,
  summary: {
    create: r.create_count,
    update: r.update_count,
    replace: r.replace_count,
    delete: r.delete_count,
  },
  createdAt: r.created_at,
});

export const toApply = (r: ApplyRow): ApplyRecord => ({
  id: num(r.id),
  planId: num(r.plan_id),
  revisionId: numOrNull(r.revision_id),
  trigger: r.trigger,
  status: r.status as ApplyStatus,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ...(r.reason == null ? {} : { reason: r.reason }),
});

// Optional fields stored as NULL come back absent, so a record round-trips as it went in.
export const toChangeResult = (r: ChangeResultRow): ChangeResultRecord => ({
  kind: r.kind as Kind,
  name: r.name,
  action: r.action as ChangeResultRecord['action'],
  status: r.status as ChangeResultRecord['status'],
  ...(r.message === null ? {} : { message: r.message }),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ...(r.detail === null ? {} : { detail: r.detail }),
});

export const toApplied = (r: AppliedRow): AppliedResource => ({
  kind: r.kind as Kind,
  name: r.name,
  spec: r.spec,
  specHash: r.spec_hash,
  revisionId: numOrNull(r.revision_id),
  appliedAt: r.applied_at,
  protect: r.protect,
});

export const toEvent = (r: EventRow): EventRecord => ({
  id: num(r.id),
  type: r.type,
  ...(r.resource === null ? {} : { resource: r.resource }),
  message: r.message,
  ...(r.data === null ? {} : { data: r.data }),
  at: r.at,
});
