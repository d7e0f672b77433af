import type { ApplyOutcome } from '../apply/apply-plan.js';
import type { Events } from '../ports/events.js';

/** The reconciler's log: pino's methods, or anything with the same three. */
export interface ReconcileLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/**
 * Says how an apply of the reconciler went: a `sync.failed` event when it failed, a log line per
 * change that did not succeed, then the summary, at the level its result deserves.
 */
export async function reportApply(
  outcome: ApplyOutcome,
  { events, log }: { events: Events; log: ReconcileLog },
  { revision, trigger, changes }: { revision: string; trigger: string; changes: number },
): Promise<void> {
  const failed = outcome.apply.status === 'failed';
  if (failed) {
    const names = outcome.results
      .filter((r) => r.status === 'failed' || r.status === 'skipped')
      .map((r) => `${r.kind}/${r.name}`);
    await events.emit({
      type: 'sync.failed',
      message: `apply of ${shortRevision(revision)} failed for ${names.join(', ')}`,
      data: { revision, applyId: outcome.apply.id },
    });
  }
  for (const r of outcome.results)
    if (r.status !== 'succeeded')
      (r.status === 'pending' ? log.warn : log.error).call(
        log,
        { change: r.action, status: r.status },
        `${r.kind}/${r.name}: ${r.message ?? r.status}`,
      );
  // The summary's level follows its result: a failed apply is an error, one left pending a warning.
  const level = failed ? log.error : outcome.apply.status === 'succeeded' ? log.info : log.warn;
  level.call(log, { revision, trigger, changes, status: outcome.apply.status }, 'applied');
}

/** A revision as people read it: the first 12 hex digits, without `sha256:`. */
export const shortRevision = (rev: string) => rev.replace(/^sha256:/, '').slice(0, 12);
