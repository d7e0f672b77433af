import type { ExecutePorts, RuntimeContext } from '../kinds/kind.js';
import { planDocument } from '../plan/document.js';
import { type Plan, type PlanDocument, summarize } from '../plan/types.js';
import type { NewRevision, PlanRecord, RevisionRecord, Store } from '../ports/store.js';
import { type ApplyOptions, type ApplyOutcome, applyPlan } from './apply-plan.js';

/** What is recorded before a plan is applied (or left waiting for approval). */
export interface PlanToRecord {
  plan: Plan;
  /** The revision the plan was computed from; null: it belongs to none (`ploy rollback`). */
  revision: NewRevision | null;
  /** The plan's document when the caller has it already (it showed or compared it); else made here. */
  document?: PlanDocument;
}

/** What recordPlan stored: the revision (when one was given) and the plan, in that order. */
export interface RecordedPlan {
  revision?: RevisionRecord;
  plan: PlanRecord;
}

/**
 * Records the revision (when given), then the plan's document under it. The store holds every
 * plan an apply ran from, and an apply's revision and plan exist before its first change runs.
 */
export async function recordPlan(store: Store, input: PlanToRecord): Promise<RecordedPlan> {
  const revision = input.revision ? await store.recordRevision(input.revision) : undefined;
  const plan = await store.recordPlan({
    revisionId: revision?.id ?? null,
    plan: input.document ?? planDocument(input.plan),
    actualHash: input.plan.basis.actualHash,
    summary: summarize(input.plan.changes),
  });
  return { revision, plan };
}

export interface RecordAndApplyInput extends PlanToRecord {
  /** What changes touching Docker need, for the recorded revision's id; undefined: app changes stay pending. */
  runtime?(revisionId: number | null): Promise<RuntimeContext | undefined> | RuntimeContext | undefined;
  /** How the apply runs (the plan and revision ids come from what was recorded). */
  apply: Omit<ApplyOptions, 'planId' | 'revisionId'>;
}

/**
 * Every apply, from the reconciler, `ploy apply` and `ploy rollback`: records the revision and
 * the plan (recordPlan), applies the plan, then marks the revision `applied` or `failed`. An
 * apply interrupted by a shutdown leaves its revision as it was: the next start converges.
 */
export async function recordAndApply(
  ports: Omit<ExecutePorts, 'runtime' | 'applyId'>,
  input: RecordAndApplyInput,
): Promise<ApplyOutcome & RecordedPlan> {
  const recorded = await recordPlan(ports.store, input);
  const revisionId = recorded.revision?.id ?? null;
  const runtime = await input.runtime?.(revisionId);
  const outcome = await applyPlan(input.plan, { ...ports, runtime }, { ...input.apply, planId: recorded.plan.id, revisionId });
  const status = outcome.apply.status;
  if (recorded.revision && status !== 'interrupted')
    await ports.store.updateRevision(recorded.revision.id, { status: status === 'failed' ? 'failed' : 'applied' });
  return { ...outcome, ...recorded };
}
