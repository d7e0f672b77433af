import type { Logger } from 'pino';
import type { Resource } from '../kinds/resource.js';
import type { MonitorRuntime } from './monitors/monitor-runtime.js';
import type { SharedLeadership } from './shared-leadership.js';

/** What `ploy serve` does when this instance gains or loses the lead. */
export interface TermWork {
  log: Logger;
  monitors: MonitorRuntime;
  /** Reconciles now, then refreshes what follows the applied state. */
  reconcile(why: string): Promise<void>;
  /** The last valid snapshot's resources (they hold the secret values the store keeps as digests). */
  latest(): readonly Resource[] | undefined;
}

/** Elections followed: `firstElection` settles at the first one; `settled()` waits for the work of the last. */
export interface Terms {
  firstElection: Promise<void>;
  settled(): Promise<void>;
}

/**
 * Campaigns for leadership. Each election reconciles at once ('startup' the first time,
 * 'elected' after), then the monitors check, from the states the previous leader stored;
 * losing the lead turns them to following. Terms run one after another, never overlapping.
 */
export function leadershipTerms(leadership: SharedLeadership, { log, monitors, reconcile, latest }: TermWork): Terms {
  let term = Promise.resolve();
  let firstElection: () => void = () => {};
  const elected = new Promise<void>((r) => (firstElection = r));
  const onTerm = (work: () => Promise<void>) => {
    term = term.then(work).catch((e: Error) => log.error({ err: e.message }, 'taking or leaving leadership failed'));
    return term;
  };
  let terms = 0;
  leadership.view().start({
    onElected: (epoch) =>
      void onTerm(async () => {
        log.info({ epoch }, 'leading: this instance reconciles, checks monitors and schedules jobs');
        await reconcile(terms++ === 0 ? 'startup' : 'elected');
        await monitors.lead(latest());
      }).then(firstElection),
    onDeposed: (reason) =>
      void onTerm(async () => {
        // Leadership given up because this instance stops is not news; losing it while running is.
        if (reason === 'stopping') log.info('leadership released: stopping');
        else log.warn({ reason }, 'following: another instance reconciles, checks monitors and schedules jobs');
        monitors.follow();
      }).then(firstElection),
  });
  return { firstElection: elected, settled: () => term };
}
