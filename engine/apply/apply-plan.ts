import pLimit from 'p-limit';
import type { ExecutePorts, ExecuteResult } from '../kinds/kind.js';
import { kinds } from '../kinds/registry.js';
import type { LiveChange } from '../model/change.js';
import type { Plan } from '../plan/types.js';
import type { AppliedMutation, ApplyRecord, ApplyStatus, ChangeResultRecord } from '../ports/store.js';

export interface ApplyOptions {
  planId: number;
  revisionId: number | null;
  /** Why this apply runs ('cli', 'auto-sync', 'self-heal', ...). */
  trigger: string;
  /** Why it runs (recorded with the apply). */
  reason?: unknown;
  /** Stops between changes (a graceful shutdown): the change in progress finishes and is recorded. */
  signal?: AbortSignal;
  /** How many changes may run at once (default 4); 1 runs them strictly in order. */
  concurrency?: number;
  /** Told about each change as it finishes, for progress output. */
  onResult?: (change: LiveChange, result: ChangeResultRecord) => void;
}

export interface ApplyOutcome {
  apply: ApplyRecord;
  results: ChangeResultRecord[];
}

/**
 * Executes a plan's changes, each once what it depends on has finished (independent ones side
 * by side), deletes last and in order. A change that fails is a recorded result, not a crash;
 * changes that depend on a failed one are skipped, since their dependency is not there. Each
 * result and the applied state it implies are stored together; results come back in plan order.
 */
export async function applyPlan(plan: Plan, ports: ExecutePorts, opts: ApplyOptions): Promise<ApplyOutcome> {
  const { store, clock } = ports;
  const apply = await store.startApply({
    planId: opts.planId,
    revisionId: opts.revisionId,
    trigger: opts.trigger,
    startedAt: clock.now(),
    reason: opts.reason,
  });
  const results: ChangeResultRecord[] = [];
  const notDone = new Map<string, string>();
  const finished = new Map<string, Promise<void>>();
  // A queue, first in first out: a finishing change hands its slot to the next waiting one.
  const limit = pLimit(opts.concurrency ?? DEFAULT_CONCURRENCY);
  let interrupted = false;
  let previous: Promise<void> = Promise.resolve();

  const run = async (change: LiveChange): Promise<void> => {
    if (opts.signal?.aborted) {
      interrupted = true;
      return;
    }
    const startedAt = clock.now();
    const blocker = blockedBy(change, notDone);
    let outcome: ExecuteResult;
    if (blocker) {
      outcome = { status: 'failed', message: `skipped: ${blocker} was not applied` };
    } else {
      try {
        outcome = await kinds[change.kind].execute(change, { ...ports, applyId: apply.id });
      } catch (e) {
        outcome = { status: 'failed', message: `unexpected error: ${(e as Error).message}` };
      }
    }
    const result: ChangeResultRecord = {
      kind: change.kind,
      name: change.name,
      action: change.action,
      status: blocker ? 'skipped' : outcome.status,
      message: outcome.message,
      startedAt,
      finishedAt: clock.now(),
      detail: outcome.detail,
    };
    // Waiting on a runtime (pending) blocks nothing; a failure blocks what depends on it.
    if (result.status === 'failed' || result.status === 'skipped') notDone.set(change.key, `${change.kind} ${change.name}`);
    await store.recordChangeResult(
      apply.id,
      result,
      result.status === 'succeeded' ? appliedMutation(change, opts.revisionId, clock.now()) : undefined,
    );
    results.push(result);
    opts.onResult?.(change, result);
  };

  // Changes run as soon as what they depend on (in this plan) has finished, a few at a time:
  // independent apps deploy side by side. Deletes run last, one by one, in the plan's order.
  const live = plan.changes.filter((c) => c.action !== 'noop');
  const firstDelete = live.findIndex((c) => c.action === 'delete');
  for (const [i, change] of live.entries()) {
    const after =
      change.action === 'delete'
        ? [i === firstDelete ? Promise.all(finished.values()).then(() => undefined) : previous]
        : dependencies(change).flatMap((key) => finished.get(key) ?? []);
    const done = Promise.all(after).then(() => limit(() => run(change)));
    finished.set(change.key, done);
    previous = done;
  }
  await Promise.all(finished.values());
  const order = new Map(live.map((c, i) => [c.key, i]));
  results.sort((a, b) => (order.get(`${a.kind}/${a.name}`) ?? 0) - (order.get(`${b.kind}/${b.name}`) ?? 0));
  const record = await store.finishApply(apply.id, interrupted ? 'interrupted' : overall(results), clock.now());
  return { apply: record, results };
}

const DEFAULT_CONCURRENCY = 4;

/** The resources (keys) a change must wait for: those it names with an ordering reference. */
function dependencies(change: LiveChange): string[] {
  if (change.action === 'delete') return [];
  return kinds[change.kind]
    .references(change.after)
    .filter((r) => r.ordering)
    .map((r) => `${r.kind}/${r.name}`);
}

function blockedBy(change: LiveChange, notDone: Map<string, string>): string | undefined {
  if (change.action === 'delete') return undefined;
  for (const ref of kinds[change.kind].references(change.after)) {
    const hit = ref.ordering ? notDone.get(`${ref.kind}/${ref.name}`) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/** What a succeeded change makes the applied state: its new spec, or its removal. */
export function appliedMutation(change: LiveChange, revisionId: number | null, at: Date): AppliedMutation {
  if (change.action === 'delete') return { remove: { kind: change.kind, name: change.name } };
  return {
    put: {
      kind: change.kind,
      name: change.name,
      spec: change.after,
      specHash: change.afterHash,
      revisionId,
      appliedAt: at,
      protect: change.after.protect === true,
    },
  };
}

/** failed if anything failed or was skipped; partial if something waits on a runtime; else succeeded. */
function overall(results: ChangeResultRecord[]): ApplyStatus {
  if (results.some((r) => r.status === 'failed' || r.status === 'skipped')) return 'failed';
  if (results.some((r) => r.status === 'pending')) return 'partial';
  return 'succeeded';
}
