import type {
  AppliedMutation,
  AppliedResource,
  ApplyRecord,
  ApplyStatus,
  ChangeResultRecord,
  EventRecord,
  NewApply,
  NewEvent,
  NewPlan,
  NewRevision,
  PlanRecord,
  RevisionRecord,
  RevisionStatus,
  Store,
} from '../../ports/store.js';
import type { DeployFailure, DeploymentOutcome, NewDeployment } from '../../ports/deployment-store.js';
import { SqlDeploymentStore } from './sql-deployment-store.js';
import type { SqlDriver } from './sql-driver.js';
import { SqlJobStore } from './sql-job-store.js';
import {
  type AppliedRow,
  type ApplyRow,
  type ChangeResultRow,
  type EventRow,
  json,
  type PlanRow,
  type RevisionRow,
  toApplied,
  toApply,
  toChangeResult,
  toEvent,
  toPlan,
  toRevision,
} from './sql-rows.js';

const DEFAULT_LIMIT = 100;
const limitOf = (opts?: { limit?: number }): number => Math.max(1, Math.min(opts?.limit ?? DEFAULT_LIMIT, 10_000));

/**
 * The Store over SQL, shared by PostgreSQL and PGlite. Expects a migrated database
 * (see migrate()). JSON goes in as text cast to jsonb and comes out as plain values.
 */
export class SqlStore extends SqlJobStore implements Store {
  #key: Uint8Array | undefined;

  readonly #deployments: SqlDeploymentStore;

  constructor(db: SqlDriver) {
    super(db);
    this.#deployments = new SqlDeploymentStore(db);
  }

  async secretKey(): Promise<Uint8Array> {
    if (!this.#key) {
      const [row] = await this.db.query<{ value: string }>(`select value from meta where key = 'secret_key'`);
      if (!row) throw new Error('the store has no secret key: it was not migrated');
      this.#key = new Uint8Array(Buffer.from(row.value, 'hex'));
    }
    // A copy: a caller that scribbles over its key must not change everyone else's.
    return this.#key.slice();
  }

  async recordRevision(r: NewRevision): Promise<RevisionRecord> {
    const [row] = await this.db.query<RevisionRow>(
      `insert into revisions (commit, source, author, message, committed_at, status, diagnostics)
       values ($1, $2, $3, $4, $5, $6, $7::text::jsonb) returning *`,
      [r.commit, r.source, r.author ?? null, r.message ?? null, r.committedAt ?? null, r.status, json(r.diagnostics)],
    );
    return toRevision(row);
  }

  async updateRevision(id: number, patch: { status: RevisionStatus; diagnostics?: unknown }): Promise<void> {
    if ('diagnostics' in patch) {
      await this.db.query('update revisions set status = $2, diagnostics = $3::text::jsonb where id = $1', [
        id,
        patch.status,
        json(patch.diagnostics),
      ]);
    } else {
      await this.db.query('update revisions set status = $2 where id = $1', [id, patch.status]);
    }
  }

  async getRevision(id: number): Promise<RevisionRecord | undefined> {
    const [row] = await this.db.query<RevisionRow>('select * from revisions where id = $1', [id]);
    return row && toRevision(row);
  }

  async listRevisions(opts?: { limit?: number; beforeId?: number }): Promise<RevisionRecord[]> {
    const rows = await this.db.query<RevisionRow>(
      'select * from revisions where ($1::bigint is null or id < $1::bigint) order by id desc limit $2',
      [opts?.beforeId ?? null, limitOf(opts)],
    );
    return rows.map(toRevision);
  }

  async lastAppliedRevision(): Promise<RevisionRecord | undefined> {
    const [row] = await this.db.query<RevisionRow>(`select * from revisions where status = 'applied' order by id desc limit 1`);
    return row && toRevision(row);
  }

  async recordPlan(p: NewPlan): Promise<PlanRecord> {
    const [row] = await this.db.query<PlanRow>(
      `insert into plans (revision_id, plan, actual_hash, create_count, update_count, replace_count, delete_count)
       values ($1, $2::text::jsonb, $3, $4, $5, $6, $7) returning *`,
      [p.revisionId, json(p.plan), p.actualHash, p.summary.create, p.summary.update, p.summary.replace, p.summary.delete],
    );
    return toPlan(row);
  }

  async getPlan(id: number): Promise<PlanRecord | undefined> {
    const [row] = await this.db.query<PlanRow>('select * from plans where id = $1', [id]);
    return row && toPlan(row);
  }

  async listPlans(opts?: { limit?: number; revisionId?: number }): Promise<PlanRecord[]> {
    const rows = await this.db.query<PlanRow>(
      'select * from plans where ($1::bigint is null or revision_id = $1::bigint) order by id desc limit $2',
      [opts?.revisionId ?? null, limitOf(opts)],
    );
    return rows.map(toPlan);
  }

  async startApply(a: NewApply): Promise<ApplyRecord> {
    const [row] = await this.db.query<ApplyRow>(
      `insert into applies (plan_id, revision_id, trigger, status, started_at, reason)
       values ($1, $2, $3, 'running', $4, $5::text::jsonb) returning *`,
      [a.planId, a.revisionId, a.trigger, a.startedAt, a.reason === undefined ? null : JSON.stringify(a.reason)],
    );
    return toApply(row);
  }

  async markInterruptedApplies(at: Date): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `update applies set status = 'interrupted', finished_at = $1 where status = 'running' returning id`,
      [at],
    );
    return rows.length;
  }

  async recordChangeResult(applyId: number, result: ChangeResultRecord, applied?: AppliedMutation): Promise<void> {
    // One transaction: the history of a change and what is now applied never disagree.
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into change_results (apply_id, kind, name, action, status, message, started_at, finished_at, detail)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)`,
        [
          applyId,
          result.kind,
          result.name,
          result.action,
          result.status,
          result.message ?? null,
          result.startedAt,
          result.finishedAt,
          json(result.detail),
        ],
      );
      if (!applied) return;
      if ('put' in applied) {
        const p = applied.put;
        await tx.query(
          `insert into applied_resources (kind, name, spec, spec_hash, revision_id, applied_at, protect)
           values ($1, $2, $3::text::jsonb, $4, $5, $6, $7)
           on conflict (kind, name) do update set spec = excluded.spec, spec_hash = excluded.spec_hash,
             revision_id = excluded.revision_id, applied_at = excluded.applied_at, protect = excluded.protect`,
          [p.kind, p.name, json(p.spec), p.specHash, p.revisionId, p.appliedAt, p.protect],
        );
      } else {
        await tx.query('delete from applied_resources where kind = $1 and name = $2', [applied.remove.kind, applied.remove.name]);
      }
    });
  }

  async finishApply(applyId: number, status: ApplyStatus, finishedAt: Date = new Date()): Promise<ApplyRecord> {
    const [row] = await this.db.query<ApplyRow>('update applies set status = $2, finished_at = $3 where id = $1 returning *', [
      applyId,
      status,
      finishedAt,
    ]);
    if (!row) throw new Error(`apply ${applyId} does not exist`);
    return toApply(row);
  }

  async getApply(id: number): Promise<(ApplyRecord & { results: ChangeResultRecord[] }) | undefined> {
    const [row] = await this.db.query<ApplyRow>('select * from applies where id = $1', [id]);
    if (!row) return undefined;
    const results = await this.db.query<ChangeResultRow>('select * from change_results where apply_id = $1 order by id', [id]);
    return { ...toApply(row), results: results.map(toChangeResult) };
  }

  async listApplies(opts?: { limit?: number }): Promise<ApplyRecord[]> {
    const rows = await this.db.query<ApplyRow>('select * from applies order by id desc limit $1', [limitOf(opts)]);
    return rows.map(toApply);
  }

  async listApplied(): Promise<AppliedResource[]> {
    const rows = await this.db.query<AppliedRow>('select * from applied_resources order by kind, name');
    return rows.map(toApplied);
  }

  async recordEvent(e: NewEvent): Promise<EventRecord> {
    const [row] = await this.db.query<EventRow>(
      'insert into events (type, resource, message, data, at) values ($1, $2, $3, $4::text::jsonb, $5) returning *',
      [e.type, e.resource ?? null, e.message, json(e.data), e.at],
    );
    return toEvent(row);
  }

  async listEvents(opts?: { limit?: number; type?: string; resource?: string; afterId?: number }): Promise<EventRecord[]> {
    const order = opts?.afterId === undefined ? 'desc' : 'asc';
    const rows = await this.db.query<EventRow>(
      `select * from events
       where ($1::text is null or type = $1::text) and ($2::text is null or resource = $2::text)
         and ($3::bigint is null or id > $3::bigint)
       order by id ${order} limit $4`,
      [opts?.type ?? null, opts?.resource ?? null, opts?.afterId ?? null, limitOf(opts)],
    );
    return rows.map(toEvent);
  }

  startDeployment(d: NewDeployment) {
    return this.#deployments.startDeployment(d);
  }
  finishDeployment(id: number, o: DeploymentOutcome) {
    return this.#deployments.finishDeployment(id, o);
  }
  listDeployments(opts?: { app?: string; limit?: number }) {
    return this.#deployments.listDeployments(opts);
  }
  rememberDeployFailure(f: DeployFailure) {
    return this.#deployments.rememberDeployFailure(f);
  }
  forgetDeployFailure(app: string, specHash?: string) {
    return this.#deployments.forgetDeployFailure(app, specHash);
  }
  listDeployFailures() {
    return this.#deployments.listDeployFailures();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
