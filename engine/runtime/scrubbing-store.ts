import type { SecretScrubber } from '../load/secret-scrubber.js';
import type { Heartbeat } from '../ports/monitor-store.js';
import type { Store } from '../ports/store.js';

type Scrub = Pick<SecretScrubber, 'scrubDeep'>;

/**
 * What a Store method's arguments go through before the store sees them: a function that
 * returns them with every free text scrubbed, or `exact` when they hold none (names, hashes,
 * times, and the redacted specs that the next plan is diffed against, which must come back as
 * they went in).
 */
type Rule<F> = F extends (...args: infer A) => unknown ? ((s: Scrub, ...args: A) => A) | 'exact' : never;

/** The listed fields of an object scrubbed (their strings, however deep); the others as they are. */
function free<T extends object>(s: Scrub, o: T, ...keys: Array<keyof T>): T {
  const out = { ...o };
  for (const k of keys) if (out[k] !== undefined && out[k] !== null) out[k] = s.scrubDeep(out[k]);
  return out;
}

const beat = (s: Scrub, b: Heartbeat): Heartbeat => free(s, b, 'status', 'conditions', 'error');

/**
 * One rule per method of the Store port. The object is typed with every key of Store, so a
 * method added to the port does not compile until someone decides here whether what it writes
 * is free text: no write of job output, an error, a log tail or an event can skip the scrubber.
 */
const RULES: { [K in keyof Store]-?: Rule<Store[K]> } = {
  secretKey: 'exact',
  recordRevision: (s, r) => [free(s, r, 'author', 'message', 'diagnostics')],
  updateRevision: (s, id, patch) => [id, free(s, patch, 'diagnostics')],
  getRevision: 'exact',
  listRevisions: 'exact',
  lastAppliedRevision: 'exact',
  recordPlan: (s, p) => [free(s, p, 'plan')],
  getPlan: 'exact',
  listPlans: 'exact',
  startApply: (s, a) => [free(s, a, 'reason')],
  // `applied` is the redacted spec the next plan compares with: scrubbed, it would differ forever.
  recordChangeResult: (s, id, result, applied) => [id, free(s, result, 'message', 'detail'), applied],
  finishApply: 'exact',
  markInterruptedApplies: 'exact',
  getApply: 'exact',
  listApplies: 'exact',
  listApplied: 'exact',
  recordEvent: (s, e) => [free(s, e, 'message', 'data')],
  listEvents: 'exact',
  close: 'exact',
  // The deployed spec is what `ploy rollback` returns to: kept exact, as the applied spec is.
  startDeployment: 'exact',
  finishDeployment: (s, id, o) => [id, free(s, o, 'error', 'logTail')],
  listDeployments: 'exact',
  rememberDeployFailure: 'exact',
  forgetDeployFailure: 'exact',
  listDeployFailures: 'exact',
  recordHeartbeats: (s, beats) => [beats.map((b) => beat(s, b))],
  listHeartbeats: 'exact',
  rollUpHeartbeats: 'exact',
  listRollups: 'exact',
  pruneHeartbeats: 'exact',
  uptime: 'exact',
  listMonitorStates: 'exact',
  putMonitorState: (s, state) => [state.lastResult ? { ...state, lastResult: beat(s, state.lastResult) } : state],
  recordPush: 'exact',
  deleteMonitorState: 'exact',
  startDelivery: 'exact',
  updateDelivery: (s, id, patch) => [id, free(s, patch, 'error')],
  listDeliveries: 'exact',
  unfinishedDeliveries: 'exact',
  takeLeadership: 'exact',
  currentLeader: 'exact',
  // Skip reasons are the engine's own words (`overlap`, `suspended`).
  claimOccurrence: 'exact',
  claimOccurrences: 'exact',
  updateOccurrence: (s, id, patch) => [id, free(s, patch, 'reason', 'output')],
  // The output arrives here whole (the run's bounded tail, assembled), so a secret that a
  // program wrote across two chunks is masked as one.
  finishOccurrences: (s, results) => [results.map((r) => free(s, r, 'reason', 'output'))],
  getOccurrence: 'exact',
  listOccurrences: 'exact',
  lastScheduledTimes: 'exact',
  lastFinishedRun: 'exact',
  pruneOccurrences: 'exact',
};

/**
 * The store as the engine writes to it: every free text (job output and reasons, deploy errors
 * and log tails, change results, events, delivery errors, heartbeats, plans, revision messages)
 * has each known secret value masked before it reaches the database. The scrubber is read at
 * each call, so values it learns later (a new revision's secrets) are masked from then on.
 */
export function scrubbingStore(store: Store, scrubber: Scrub): Store {
  const out = {} as Record<string, unknown>;
  for (const [name, rule] of Object.entries(RULES) as Array<[keyof Store, Rule<(...a: unknown[]) => unknown>]>) {
    const method = (store[name] as (...a: unknown[]) => unknown).bind(store);
    out[name] = rule === 'exact' ? method : (...args: unknown[]) => method(...rule(scrubber, ...args));
  }
  return out as unknown as Store;
}
