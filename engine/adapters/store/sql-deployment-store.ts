import type {
  DeployFailure,
  DeploymentOutcome,
  DeploymentRecord,
  DeploymentStatus,
  DeploymentStore,
  NewDeployment,
} from '../../ports/deployment-store.js';
import type { SqlDriver } from './sql-driver.js';
import { type Id, json, num, numOrNull } from './sql-rows.js';

interface DeploymentRow {
  id: Id;
  app: string;
  revision_id: Id | null;
  apply_id: Id | null;
  revision: string;
  spec_hash: string;
  spec: unknown;
  image: string;
  image_digest: string | null;
  strategy: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  log_tail: string | null;
  containers: unknown;
}

const toDeployment = (r: DeploymentRow): DeploymentRecord => ({
  id: num(r.id),
  app: r.app,
  revisionId: numOrNull(r.revision_id),
  applyId: numOrNull(r.apply_id),
  revision: r.revision,
  specHash: r.spec_hash,
  spec: r.spec,
  image: r.image,
  imageDigest: r.image_digest,
  strategy: r.strategy as DeploymentRecord['strategy'],
  status: r.status as DeploymentStatus,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
  logTail: r.log_tail ? r.log_tail.split('\n') : [],
  containers: Array.isArray(r.containers) ? (r.containers as string[]) : [],
});

/** DeploymentStore over SQL (PostgreSQL and PGlite alike). */
export class SqlDeploymentStore implements DeploymentStore {
  constructor(private readonly db: SqlDriver) {}

  async startDeployment(d: NewDeployment): Promise<DeploymentRecord> {
    const [row] = await this.db.query<DeploymentRow>(
      `insert into deployments (app, revision_id, apply_id, revision, spec_hash, spec, image, strategy, status, started_at)
       values ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, 'running', $9) returning *`,
      [d.app, d.revisionId, d.applyId, d.revision, d.specHash, json(d.spec), d.image, d.strategy, d.startedAt],
    );
    return toDeployment(row);
  }

  async finishDeployment(id: number, o: DeploymentOutcome): Promise<DeploymentRecord> {
    const [row] = await this.db.query<DeploymentRow>(
      `update deployments set status = $2, finished_at = $3, image_digest = coalesce($4, image_digest), error = $5,
         log_tail = $6, containers = $7::text::jsonb
       where id = $1 returning *`,
      [id, o.status, o.finishedAt, o.imageDigest ?? null, o.error ?? null, o.logTail?.join('\n') ?? null, json(o.containers)],
    );
    if (!row) throw new Error(`deployment ${id} does not exist`);
    return toDeployment(row);
  }

  async listDeployments(opts?: { app?: string; limit?: number }): Promise<DeploymentRecord[]> {
    const rows = await this.db.query<DeploymentRow>(
      `select * from deployments where ($1::text is null or app = $1::text) order by id desc limit $2`,
      [opts?.app ?? null, Math.max(1, Math.min(opts?.limit ?? 100, 10_000))],
    );
    return rows.map(toDeployment);
  }

  async rememberDeployFailure(f: DeployFailure): Promise<void> {
    await this.db.query(
      `insert into deploy_failures (app, spec_hash, revision, deployment_id, failed_at) values ($1, $2, $3, $4, $5)
       on conflict (app) do update set spec_hash = excluded.spec_hash, revision = excluded.revision,
         deployment_id = excluded.deployment_id, failed_at = excluded.failed_at`,
      [f.app, f.specHash, f.revision, f.deploymentId, f.failedAt],
    );
  }

  async forgetDeployFailure(app: string, specHash?: string): Promise<void> {
    await this.db.query('delete from deploy_failures where app = $1 and ($2::text is null or spec_hash = $2::text)', [
      app,
      specHash ?? null,
    ]);
  }

  async listDeployFailures(): Promise<DeployFailure[]> {
    const rows = await this.db.query<{
      app: string;
      spec_hash: string;
      revision: string;
      deployment_id: Id | null;
      failed_at: Date;
    }>('select * from deploy_failures order by app');
    return rows.map((r) => ({
      app: r.app,
      specHash: r.spec_hash,
      revision: r.revision,
      deploymentId: numOrNull(r.deployment_id),
      failedAt: r.failed_at,
    }));
  }
}
