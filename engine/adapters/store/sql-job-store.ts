import type {
  ClaimResult,
  FinishedOccurrence,
  JobStore,
  OccurrenceClaim,
  OccurrencePatch,
  OccurrenceRecord,
  OccurrenceStatus,
  OccurrenceTrigger,
} from '../../ports/job-store.js';
import { SqlMonitorStore } from './sql-monitor-store.js';
import type { SqlDriver } from './sql-driver.js';

type Id = string | number | bigint;

interface OccurrenceRow {
  id: Id;
  job: string;
  scheduled_at: Date;
  status: string;
  reason: string | null;
  trigger: string;
  attempt: number;
  epoch: Id | null;
  started_at: Date | null;
  finished_at: Date | null;
  exit_code: number | null;
  output: string | null;
  triggered_by: string | null;
}

const toOccurrence = (r: OccurrenceRow): OccurrenceRecord => ({
  id: Number(r.id),
  job: r.job,
  scheduledAt: r.scheduled_at,
  status: r.status as OccurrenceStatus,
  reason: r.reason,
  trigger: r.trigger as OccurrenceTrigger,
  attempt: Number(r.attempt),
  epoch: r.epoch === null ? null : Number(r.epoch),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  exitCode: r.exit_code,
  output: r.output,
  triggeredBy: r.triggered_by,
});

// One statement, one round trip, for every claim due at one instant. `for share` on the leader
// row makes a takeover (which updates that row) wait for claims in flight, and makes a claim
// that started during a takeover read the new epoch, so a stale epoch never slips through.
// Arrays travel as text arrays, cast in SQL: postgres.js and PGlite agree on those, not on
// arrays of dates, numbers or booleans.
const CLAIM = `
with l as (select epoch from leader where id for share),
input as (
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    as t(job, scheduled_at, skip, trigger, started_at, triggered_by, forbid)
)
insert into occurrences (job, scheduled_at, status, reason, trigger, attempt, epoch, started_at, triggered_by)
select i.job, i.scheduled_at::timestamptz,
  case when i.skip is not null or b.busy then 'skipped' else 'running' end,
  case when i.skip is not null then i.skip when b.busy then 'overlap: the previous run was still running' end,
  i.trigger, 1, $8::bigint, i.started_at::timestamptz, i.triggered_by
from input i
cross join l
cross join lateral (
  select i.forbid::boolean and exists (
    select 1 from occurrences o where o.job = i.job and o.status = 'running'
      and ($8::bigint is null or o.epoch is null)
  ) as busy
) b
where $9::boolean or l.epoch = $8::bigint
on conflict (job, scheduled_at) do nothing
returning *`;

const FINISH = `
update occurrences o set status = u.status, reason = u.reason, attempt = u.attempt::integer,
  started_at = u.started_at::timestamptz, finished_at = u.finished_at::timestamptz,
  exit_code = u.exit_code::integer, output = u.output
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
  as u(id, status, reason, attempt, finished_at, exit_code, output, started_at)
where o.id = u.id::bigint and o.id = any($1::text[]::bigint[])`;
// The second condition on o.id is the same rows; it is there so the planner reaches them
// through the primary key instead of hash-joining a scan of the whole, growing table.

const slotKey = (job: string, at: Date) => `${job}\0${at.getTime()}`;

/**
 * The JobStore over SQL, shared by PostgreSQL and PGlite. SqlStore extends it (and it the
 * MonitorStore), so the Store's own file stays about revisions, plans and applies.
 */
export class SqlJobStore extends SqlMonitorStore implements JobStore {
  constructor(protected readonly db: SqlDriver) {
    super(db);
  }

  async takeLeadership(holder: string, at: Date): Promise<{ epoch: number; interrupted: number }> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ epoch: Id }>(
        'update leader set epoch = epoch + 1, holder = $1, since = $2 where id returning epoch',
        [holder, at],
      );
      const interrupted = await tx.query<{ id: Id }>(
        `update occurrences set status = 'interrupted', reason = 'the engine running it stopped or lost leadership',
           finished_at = $1
         where status = 'running' returning id`,
        [at],
      );
      return { epoch: Number(row.epoch), interrupted: interrupted.length };
    });
  }

  async currentLeader(): Promise<{ epoch: number; holder: string | null; since: Date | null }> {
    const [row] = await this.db.query<{ epoch: Id; holder: string | null; since: Date | null }>(
      'select epoch, holder, since from leader where id',
    );
    return { epoch: Number(row.epoch), holder: row.holder, since: row.since };
  }

  async claimOccurrence(c: OccurrenceClaim): Promise<ClaimResult> {
    const [result] = await this.claimOccurrences([c]);
    return result;
  }

  async claimOccurrences(claims: OccurrenceClaim[]): Promise<ClaimResult[]> {
    const byEpoch = new Map<number | null, OccurrenceClaim[]>();
    for (const c of claims) {
      const group = byEpoch.get(c.epoch);
      if (group) group.push(c);
      else byEpoch.set(c.epoch, [c]);
    }
    const claimed = new Map<string, OccurrenceRecord>();
    const stale = new Set<number | null>();
    for (const [epoch, group] of byEpoch) {
      const rows = await this.db.query<OccurrenceRow>(CLAIM, [
        group.map((c) => c.job),
        group.map((c) => c.scheduledAt.toISOString()),
        group.map((c) => c.skip ?? null),
        group.map((c) => c.trigger),
        group.map((c) => c.startedAt.toISOString()),
        group.map((c) => c.triggeredBy ?? null),
        group.map((c) => String(c.forbidWhenRunning ?? false)),
        epoch,
        epoch === null,
      ]);
      for (const r of rows) claimed.set(slotKey(r.job, r.scheduled_at), toOccurrence(r));
      // The rare path: say which of the two conditions refused the rest.
      if (rows.length < group.length && epoch !== null && (await this.currentLeader()).epoch !== epoch) stale.add(epoch);
    }
    return claims.map((c) => {
      const row = claimed.get(slotKey(c.job, c.scheduledAt));
      if (row) return { claimed: row };
      return { refused: stale.has(c.epoch) ? 'stale-epoch' : 'taken' };
    });
  }

  async updateOccurrence(id: number, p: OccurrencePatch): Promise<void> {
    await this.db.query(
      `update occurrences set status = $2,
         reason = case when $3::boolean then $4::text else reason end,
         attempt = coalesce($5::integer, attempt),
         started_at = coalesce($6::timestamptz, started_at),
         finished_at = coalesce($7::timestamptz, finished_at),
         exit_code = case when $8::boolean then $9::integer else exit_code end,
         output = coalesce($10::text, output)
       where id = $1`,
      [
        id,
        p.status,
        'reason' in p,
        p.reason ?? null,
        p.attempt ?? null,
        p.startedAt ?? null,
        p.finishedAt ?? null,
        'exitCode' in p,
        p.exitCode ?? null,
        p.output ?? null,
      ],
    );
  }

  async finishOccurrences(results: FinishedOccurrence[]): Promise<void> {
    if (results.length === 0) return;
    await this.db.query(FINISH, [
      results.map((r) => String(r.id)),
      results.map((r) => r.status),
      results.map((r) => r.reason),
      results.map((r) => String(r.attempt)),
      results.map((r) => r.finishedAt.toISOString()),
      results.map((r) => (r.exitCode === null ? null : String(r.exitCode))),
      results.map((r) => r.output),
      results.map((r) => r.startedAt.toISOString()),
    ]);
  }

  async getOccurrence(id: number): Promise<OccurrenceRecord | undefined> {
    const [row] = await this.db.query<OccurrenceRow>('select * from occurrences where id = $1', [id]);
    return row && toOccurrence(row);
  }

  async listOccurrences(opts?: { job?: string; limit?: number; status?: string }): Promise<OccurrenceRecord[]> {
    const limit = Math.max(1, Math.min(opts?.limit ?? 100, 100_000));
    const rows = await this.db.query<OccurrenceRow>(
      `select * from occurrences where ($1::text is null or job = $1::text) and ($2::text is null or status = $2::text)
       order by scheduled_at desc, id desc limit $3`,
      [opts?.job ?? null, opts?.status ?? null, limit],
    );
    return rows.map(toOccurrence);
  }

  async lastScheduledTimes(): Promise<Map<string, Date>> {
    const rows = await this.db.query<{ job: string; last: Date }>(
      `select job, max(scheduled_at) as last from occurrences where trigger in ('schedule', 'missed') group by job`,
    );
    return new Map(rows.map((r) => [r.job, r.last]));
  }

  async lastFinishedRun(job: string, beforeId: number): Promise<OccurrenceRecord | undefined> {
    const [row] = await this.db.query<OccurrenceRow>(
      `select * from occurrences where job = $1 and id < $2 and status in ('succeeded', 'failed')
       order by id desc limit 1`,
      [job, beforeId],
    );
    return row && toOccurrence(row);
  }

  async pruneOccurrences(job: string, keep: number): Promise<number> {
    // Runs still going are never pruned: their row is where the result will be written.
    const rows = await this.db.query<{ id: Id }>(
      `delete from occurrences where job = $1 and status <> 'running' and scheduled_at < (
         select scheduled_at from occurrences where job = $1 order by scheduled_at desc offset $2 limit 1
       ) returning id`,
      [job, Math.max(0, keep - 1)],
    );
    return rows.length;
  }
}
