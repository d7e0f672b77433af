/**
 * What the store remembers about app rollouts: every deployment, and the spec that last failed
 * per app so the reconciler does not push a failing spec in a loop. Part of the Store port.
 */
export interface DeploymentStore {
  startDeployment(d: NewDeployment): Promise<DeploymentRecord>;
  finishDeployment(id: number, outcome: DeploymentOutcome): Promise<DeploymentRecord>;
  /** Newest first. */
  listDeployments(opts?: { app?: string; limit?: number }): Promise<DeploymentRecord[]>;

  /** Remembers that this app's spec failed to roll out at this revision (one row per app). */
  rememberDeployFailure(f: DeployFailure): Promise<void>;
  /**
   * Forgets an app's failed spec: it was deleted, or (with `specHash`) that very spec has now
   * deployed. A different spec deploying (a rollback) leaves the memory alone.
   */
  forgetDeployFailure(app: string, specHash?: string): Promise<void>;
  listDeployFailures(): Promise<DeployFailure[]>;
}

export type DeploymentStatus = 'running' | 'succeeded' | 'failed' | 'rolled-back';

export interface NewDeployment {
  app: string;
  revisionId: number | null;
  applyId: number | null;
  /** The source revision (commit) deployed. */
  revision: string;
  /** Hash of the app's applied spec (what `ploy.spec-hash` on its containers derives from). */
  specHash: string;
  /** The redacted spec deployed: what `ploy rollback` returns to. */
  spec: unknown;
  image: string;
  strategy: 'start-first' | 'stop-first' | 'create' | 'delete' | 'scale' | 'rollback';
  startedAt: Date;
}

export interface DeploymentOutcome {
  status: Exclude<DeploymentStatus, 'running'>;
  finishedAt: Date;
  /** The image's content digest (`name@sha256:...` or the image id for local builds). */
  imageDigest?: string;
  error?: string;
  /** The last lines the failing containers wrote (at most 50). */
  logTail?: string[];
  containers?: string[];
}

export interface DeploymentRecord extends NewDeployment {
  id: number;
  status: DeploymentStatus;
  finishedAt: Date | null;
  imageDigest: string | null;
  error: string | null;
  logTail: string[];
  containers: string[];
}

export interface DeployFailure {
  app: string;
  specHash: string;
  /** The source revision it failed at: a new commit tries again. */
  revision: string;
  deploymentId: number | null;
  failedAt: Date;
}
