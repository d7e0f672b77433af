import { recordAndApply, recordPlan } from '../apply/record-and-apply.js';
import { applyReason, changedFiles } from '../apply/reason.js';
import type { DesiredState } from '../kinds/desired.js';
import { planAgainstStore } from '../plan/against.js';
import { hasChanges, type Plan } from '../plan/types.js';
import type { RuntimeContext } from '../kinds/kind.js';
import type { Clock } from '../ports/clock.js';
import type { Events } from '../ports/events.js';
import type { NewRevision, RevisionStatus, Store } from '../ports/store.js';
import type { CommitInfo } from '../source/git-snapshot.js';
import { type ReconcileLog, reportApply, shortRevision } from './apply-report.js';
import { heldBack } from './held-back.js';
import { hasErrors } from '../model/diagnostic.js';

/** What one reconcile did, for logs and the health endpoint. */
export interface ReconcileResult {
  revision: string;
  outcome: 'invalid' | 'in-sync' | 'planned' | 'applied' | 'failed' | 'error';
  /** Whether the changes came from the world (drift) rather than from the source. */
  drift?: boolean;
  changes: number;
  message?: string;
}

export interface ReconcilerDeps {
  store: Store;
  clock: Clock;
  events: Events;
  /** Reads and validates the source as it is now (one immutable snapshot). */
  loadDesired(): Promise<Desired>;
  sync: { auto: boolean; prune: boolean };
  source: string;
  log: ReconcileLog;
  /** The Docker Engine apps run on, and what deploying needs; without it app changes stay pending. */
  runtime?: Omit<RuntimeContext, 'desired' | 'revision' | 'revisionId' | 'signal'>;
  /** Told of every finished pass and how long it took (metrics). */
  observe?(result: ReconcileResult, seconds: number): void;
}

/**
 * The reconcile loop's core: snapshot → validate → plan → apply. Runs never overlap: a trigger
 * during a run queues one more run, and any further triggers fold into that one (a newer
 * revision supersedes a queued one). A revision that fails validation is recorded with its
 * diagnostics and a `sync.failed` event, and nothing that runs is touched.
 */
export class Reconciler {
  #running: Promise<void> | undefined;
  #queued: string | undefined;
  #last: ReconcileResult | undefined;
  #lastRecorded: string | undefined;
  /** File hashes of the revision last applied, to say which files a new revision changed. */
  #lastFiles: Record<string, string> | undefined;
  readonly #stopping = new AbortController();
  /** Revision and actual-state hash of the plan waiting for approval (sync.auto off). */
  #waitingPlan: string | undefined;
  /** Changes (`key@afterHash`) the last apply left pending on a runtime. */
  #pending = new Set<string>();
  /** The held-back set last logged, so the warning is not repeated on every pass. */
  #heldLogged: string | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  /** How many reconcile passes have finished (for metrics, and to tell that a trigger ran). */
  runs = 0;

  get last(): ReconcileResult | undefined {
    return this.#last;
  }

  /** Whether the last apply left changes waiting for Docker (they are applied once it answers). */
  get waitingForRuntime(): boolean {
    return this.#pending.size > 0;
  }

  /** Whether Docker answers now: what turns changes left pending into changes worth applying. */
  async #runtimeAnswers(): Promise<boolean> {
    const containers = this.deps.runtime?.containers;
    if (!containers) return false;
    return containers.ping(AbortSignal.timeout(RUNTIME_PING_MS)).then(
      () => true,
      () => false,
    );
  }

  /** Stops between changes: the change in progress finishes and is recorded, the rest waits. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.idle();
  }

  /** Resolves when no reconcile is running. */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Asks for a reconcile; resolves when the run that covers this request has finished. */
  trigger(why: string): Promise<void> {
    if (this.#stopping.signal.aborted) return Promise.resolve();
    if (this.#running) {
      // The running loop picks this up when its current pass ends.
      this.#queued = why;
      return this.#running;
    }
    this.#running = (async () => {
      let reason: string | undefined = why;
      while (reason && !this.#stopping.signal.aborted) {
        this.#queued = undefined;
        const started = performance.now();
        this.#last = await this.#once(reason);
        this.runs++;
        this.deps.observe?.(this.#last, (performance.now() - started) / 1000);
        reason = this.#queued;
      }
      this.#running = undefined;
    })();
    return this.#running;
  }

  async #withoutHeldBack(plan: Plan, revision: string): Promise<{ plan: Plan; held: Set<string> }> {
    const held = await heldBack(this.deps.store, plan, revision);
    if (held.size === 0) return { plan, held };
    const key = `${revision}|${[...held].sort().join(',')}`;
    if (this.#heldLogged !== key) {
      this.deps.log.warn(
        { revision, held: [...held] },
        'not retrying app specs that failed to deploy at this revision; commit a fix or run ploy apply',
      );
      this.#heldLogged = key;
    }
    return { plan: { ...plan, changes: plan.changes.filter((c) => !held.has(c.key)) }, held };
  }

  /** One pass: read the source, then record it as invalid, or plan it and apply (or wait for approval). */
  async #once(trigger: string): Promise<ReconcileResult> {
    let desired: Desired;
    try {
      desired = await this.deps.loadDesired();
    } catch (e) {
      const message = (e as Error).message;
      this.deps.log.error({ trigger }, `cannot read the source: ${message}`);
      await this.deps.events.emit({ type: 'sync.failed', message: `cannot read the source: ${message}` }).catch(() => undefined);
      return { revision: this.#last?.revision ?? '', outcome: 'error', changes: 0, message };
    }
    if (hasErrors(desired.diagnostics)) return this.#invalid(desired);
    return this.#planAndApply(desired, trigger);
  }

  /** The revision as the store records it. */
  #revisionOf(desired: Desired, status: RevisionStatus): NewRevision {
    return {
      commit: desired.revision,
      source: this.deps.source,
      author: desired.commit?.author,
      message: desired.commit?.message,
      committedAt: desired.commit?.committedAt,
      status,
    };
  }

  /** A revision that fails validation: recorded once with its diagnostics; nothing runs. */
  async #invalid(desired: Desired): Promise<ReconcileResult> {
    const { store, events, log } = this.deps;
    const errors = desired.diagnostics.filter((d) => d.severity === 'error');
    if (this.#lastRecorded !== desired.revision) {
      await store.recordRevision({ ...this.#revisionOf(desired, 'invalid'), diagnostics: desired.diagnostics });
      await events.emit({
        type: 'sync.failed',
        message: `revision ${shortRevision(desired.revision)} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}); the last good revision keeps running`,
        data: {
          revision: desired.revision,
          diagnostics: errors.slice(0, 20).map(({ file, line, column, message }) => ({ file, line, column, message })),
        },
      });
      this.#lastRecorded = desired.revision;
      // Once per revision, each where it is: the log alone must say what to fix.
      for (const d of errors.slice(0, MAX_LOGGED_DIAGNOSTICS))
        log.warn({ revision: desired.revision, code: d.code }, `${d.file}:${d.line}:${d.column}: ${d.message}`);
    }
    log.warn(
      { revision: desired.revision, errors: errors.length },
      'revision is invalid; nothing applied, the last good revision keeps running',
    );
    return { revision: desired.revision, outcome: 'invalid', changes: 0 };
  }

  async #planAndApply(desired: Desired, trigger: string): Promise<ReconcileResult> {
    const { store, events, log } = this.deps;
    const planned = await planAgainstStore(desired, store, {
      ...this.deps.sync,
      containers: this.deps.runtime?.containers,
      mode: this.deps.runtime?.mode,
      proxy: this.deps.runtime?.proxy,
    });
    const { plan, held } = await this.#withoutHeldBack(planned, desired.revision);
    const live = plan.changes.filter((c) => c.action !== 'noop');
    const changes = live.length;
    if (!hasChanges(plan) && held.size > 0) {
      // Not in sync, and not worth retrying: say so rather than claim the revision is applied.
      const message = `held back (failed to deploy at this revision): ${[...held].join(', ')}`;
      return { revision: desired.revision, outcome: 'failed', changes: 0, message };
    }
    if (!hasChanges(plan)) {
      if (this.#lastRecorded !== desired.revision) {
        await store.recordRevision(this.#revisionOf(desired, 'applied'));
        this.#lastRecorded = desired.revision;
      }
      this.#lastFiles = desired.fileHashes;
      return { revision: desired.revision, outcome: 'in-sync', changes: 0 };
    }
    // With sync.auto off a waiting plan is recorded once, not again on every poll.
    const basis = `${desired.revision}|${plan.basis.actualHash}`;
    if (!this.deps.sync.auto && this.#waitingPlan === basis && this.#last) return this.#last;
    // Changes left pending by the same plan (apps while no container runtime is connected) are
    // not applied again on every poll: only a new revision or a changed actual state retries.
    if (
      this.#pending.size > 0 &&
      live.every((c) => this.#pending.has(`${c.key}@${c.afterHash}`)) &&
      this.#last &&
      !(await this.#runtimeAnswers())
    )
      return this.#last;
    // The same revision planned again with changes: the world moved, not git (drift).
    const drift =
      this.#lastRecorded === desired.revision && (this.#last?.outcome === 'in-sync' || this.#last?.outcome === 'applied');
    if (drift) {
      await events.emit({
        type: 'drift.detected',
        message: `${changes} resource(s) drifted from revision ${shortRevision(desired.revision)}`,
        data: { revision: desired.revision, resources: live.map((c) => c.key) },
      });
    }
    if (!this.deps.sync.auto) {
      await recordPlan(store, { plan, revision: this.#revisionOf(desired, 'planned') });
      this.#lastRecorded = desired.revision;
      this.#waitingPlan = basis;
      log.info({ revision: desired.revision, changes, drift }, 'plan recorded; sync.auto is off, waiting');
      return { revision: desired.revision, outcome: 'planned', changes, drift };
    }
    return this.#apply(desired, plan, { trigger, changes, drift });
  }

  /** Records and applies a plan with changes (sync.auto), then says how it went: events and logs. */
  async #apply(
    desired: Desired,
    plan: Plan,
    { trigger, changes, drift }: { trigger: string; changes: number; drift: boolean },
  ): Promise<ReconcileResult> {
    const { store, clock, events, log } = this.deps;
    const files = this.#lastFiles ? changedFiles(this.#lastFiles, desired.fileHashes) : undefined;
    const reason = applyReason(plan, {
      trigger: drift ? `${trigger} (drift)` : trigger,
      author: desired.commit?.author,
      message: desired.commit?.message,
      files,
    });
    const signal = this.#stopping.signal;
    const outcome = await recordAndApply(
      { store, clock, events },
      {
        plan,
        revision: this.#revisionOf(desired, 'pending'),
        runtime: (revisionId) =>
          this.deps.runtime && {
            ...this.deps.runtime,
            desired: new Map(desired.resources.map((r) => [r.key, r])),
            revision: desired.revision,
            revisionId,
            signal,
          },
        apply: { trigger, reason, signal },
      },
    );
    this.#lastRecorded = desired.revision;
    if (outcome.apply.status === 'interrupted') {
      log.warn({ revision: desired.revision }, 'apply interrupted by shutdown; the next start converges');
      return { revision: desired.revision, outcome: 'failed', changes, message: 'interrupted' };
    }
    this.#lastFiles = desired.fileHashes;
    const pendingKeys = new Set(outcome.results.filter((r) => r.status === 'pending').map((r) => `${r.kind}/${r.name}`));
    const live = plan.changes.filter((c) => c.action !== 'noop');
    this.#pending = new Set(live.filter((c) => pendingKeys.has(c.key)).map((c) => `${c.key}@${c.afterHash}`));
    await reportApply(outcome, this.deps, { revision: desired.revision, trigger, changes });
    const failed = outcome.apply.status === 'failed';
    return { revision: desired.revision, outcome: failed ? 'failed' : 'applied', changes, drift };
  }
}

/** How long a reconcile waits for Docker to answer before leaving pending changes waiting. */
const RUNTIME_PING_MS = 2_000;

/** An invalid revision logs its first diagnostics one by one; the rest are in the store and the UI. */
const MAX_LOGGED_DIAGNOSTICS = 20;

type Desired = DesiredState & { commit?: CommitInfo };
