import { randomBytes } from 'node:crypto';
import type { SqlDriver } from './sql-driver.js';

/** One schema step. Ids only grow; a released migration is never edited, only followed. */
export interface Migration {
  id: number;
  name: string;
  /** A script of statements, run inside the migrating transaction. */
  sql: string;
}

/**
 * Transaction-scoped advisory lock taken first by every migrate(), so processes starting at once
 * against one PostgreSQL apply each migration exactly once. ('ploy' in ASCII; leader election
 * must use a different key.)
 */
export const MIGRATION_LOCK_KEY = 0x706c6f79;

// The first schema covers the tables of later features too (deployments, monitors, jobs,
// notifications, leader election), so they arrive without migrations of their own.
// Statuses are plain text, not enums or CHECKs: a new status must not need a migration.
const initial = `
create table meta (
  key text primary key,
  value text not null
);

create table revisions (
  id bigint generated always as identity primary key,
  commit text not null,
  source text not null,
  author text,
  message text,
  committed_at timestamptz,
  status text not null,
  diagnostics jsonb,
  created_at timestamptz not null default now()
);
create index revisions_status_idx on revisions (status, id);

create table plans (
  id bigint generated always as identity primary key,
  revision_id bigint references revisions (id) on delete set null,
  plan jsonb not null,
  actual_hash text not null,
  create_count integer not null default 0,
  update_count integer not null default 0,
  replace_count integer not null default 0,
  delete_count integer not null default 0,
  created_at timestamptz not null default now()
);
create index plans_revision_idx on plans (revision_id, id);

create table applies (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id) on delete cascade,
  revision_id bigint references revisions (id) on delete set null,
  trigger text not null,
  status text not null,
  started_at timestamptz not null,
  finished_at timestamptz
);

create table change_results (
  id bigint generated always as identity primary key,
  apply_id bigint not null references applies (id) on delete cascade,
  kind text not null,
  name text not null,
  action text not null,
  status text not null,
  message text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  detail jsonb
);
create index change_results_apply_idx on change_results (apply_id, id);
create index change_results_resource_idx on change_results (kind, name, id);

create table applied_resources (
  kind text not null,
  name text not null,
  spec jsonb not null,
  spec_hash text not null,
  revision_id bigint references revisions (id) on delete set null,
  applied_at timestamptz not null,
  protect boolean not null default false,
  primary key (kind, name)
);

create table events (
  id bigserial primary key,
  type text not null,
  resource text,
  message text not null,
  data jsonb,
  at timestamptz not null
);
create index events_at_idx on events (at);
create index events_resource_at_idx on events (resource, at);
create index events_type_at_idx on events (type, at);

create table deployments (
  id bigint generated always as identity primary key,
  app text not null,
  revision_id bigint references revisions (id) on delete set null,
  apply_id bigint references applies (id) on delete set null,
  spec_hash text not null,
  strategy text,
  status text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  error text,
  log_tail text
);
create index deployments_app_idx on deployments (app, started_at);

-- A spec hash whose rollout failed, per app: the reconciler does not push it again until the
-- desired spec changes (its hash differs) or someone retries explicitly.
create table deploy_failures (
  app text primary key,
  spec_hash text not null,
  deployment_id bigint references deployments (id) on delete set null,
  failed_at timestamptz not null
);

create table heartbeats (
  id bigint generated always as identity primary key,
  monitor text not null,
  at timestamptz not null,
  ok boolean not null,
  latency_ms double precision,
  status text,
  conditions jsonb,
  error text
);
create index heartbeats_monitor_at_idx on heartbeats (monitor, at);
create index heartbeats_at_idx on heartbeats (at);

create table heartbeat_rollups (
  monitor text not null,
  bucket text not null,
  bucket_start timestamptz not null,
  checks integer not null,
  successes integer not null,
  latency_p50 double precision,
  latency_p95 double precision,
  latency_p99 double precision,
  primary key (monitor, bucket, bucket_start)
);

create table monitor_state (
  monitor text primary key,
  state text not null,
  since timestamptz not null,
  consecutive_failures integer not null default 0,
  consecutive_successes integer not null default 0,
  last_result jsonb,
  updated_at timestamptz not null default now()
);

-- One row per (job, scheduled time): the unique key is what prevents a double run when the
-- leader fails over mid-tick.
create table occurrences (
  id bigint generated always as identity primary key,
  job text not null,
  scheduled_at timestamptz not null,
  status text not null,
  reason text,
  trigger text not null,
  attempt integer not null default 1,
  epoch bigint,
  started_at timestamptz,
  finished_at timestamptz,
  exit_code integer,
  output text,
  triggered_by text,
  unique (job, scheduled_at)
);
create index occurrences_status_idx on occurrences (status, job);

create table deliveries (
  id bigint generated always as identity primary key,
  notification text not null,
  event_id bigint references events (id) on delete cascade,
  status text not null,
  attempts integer not null default 0,
  error text,
  at timestamptz not null,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  unique (notification, event_id)
);
create index deliveries_pending_idx on deliveries (status, next_attempt_at);

-- Exactly one row (id is always true). The epoch is the fencing token: it grows on every
-- change of leader, and writes of a deposed leader carry a stale epoch.
create table leader (
  id boolean primary key default true check (id),
  epoch bigint not null default 0,
  holder text,
  since timestamptz
);
insert into leader (id, epoch) values (true, 0);
`;

/** All migrations, in the order they apply. */
// Why an apply ran (trigger, commit, files and fields that changed); an apply cut short by a
// crash or a stop is `interrupted`.
const applyReason = `alter table applies add column reason jsonb;`;

// What `ploy rollback` and the deployments history need: the revision, the redacted spec and
// the image (with its digest, so a moved tag is visible) of every rollout; the revision a spec
// failed at, so a new commit retries it.
const deploymentDetails = `
alter table deployments add column revision text not null default '';
alter table deployments add column spec jsonb;
alter table deployments add column image text not null default '';
alter table deployments add column image_digest text;
alter table deployments add column containers jsonb;
alter table deploy_failures add column revision text not null default '';
`;
// A monitor remembers when it last alerted (reminders, alerts held back by a dependency or a
// maintenance window) and when its push endpoint was last called (a dead-man's switch must
// survive a restart). Ids 3 and 4 are taken by parallel work.
const monitorAlerts = `alter table monitor_state add column last_notified_at timestamptz;
alter table monitor_state add column last_push_at timestamptz;`;
// Runs started outside the scheduler (a CLI's manual run, no epoch) that are still running:
// the leader's overlap check looks only at these, on every claim, so they get an index of
// their own that stays tiny (the status index fills with dead entries at 1,000 runs a second).
const unscheduledRunning = `create index occurrences_unscheduled_running_idx on occurrences (job)
  where status = 'running' and epoch is null;`;

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'initial', sql: initial },
  { id: 2, name: 'apply-reason', sql: applyReason },
  { id: 3, name: 'deployment-details', sql: deploymentDetails },
  { id: 4, name: 'occurrences-unscheduled-running', sql: unscheduledRunning },
  { id: 5, name: 'monitor-alerts', sql: monitorAlerts },
];

/**
 * Applies the pending migrations in one transaction and makes sure the installation's secret
 * key exists. Safe when several processes call it at once. Returns the ids it applied.
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  // Fast path for the common case, an up-to-date schema: two plain reads instead of a locking
  // transaction (it halves what a CLI command pays for migrate on PGlite). The key exists then,
  // because the transaction that applied the first migration also created it.
  const [present] = await driver.query<{ ok: boolean }>(`select to_regclass('schema_migrations') is not null as ok`);
  if (present?.ok) {
    const rows = await driver.query<{ id: number }>('select id from schema_migrations');
    const done = new Set(rows.map((r) => Number(r.id)));
    if (migrations.every((m) => done.has(m.id))) return [];
  }
  return driver.transaction(async (tx) => {
    // First thing: whoever holds the lock applies everything; the others then see it done.
    await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(`create table if not exists schema_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const rows = await tx.query<{ id: number }>('select id from schema_migrations');
    const done = new Set(rows.map((r) => Number(r.id)));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    // Created once, never rotated by migrate: digests of secret values are keyed with it.
    await tx.query(`insert into meta (key, value) values ('secret_key', $1) on conflict (key) do nothing`, [
      randomBytes(32).toString('hex'),
    ]);
    return applied;
  });
}
