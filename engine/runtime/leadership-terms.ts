import type { Logger } from 'pino';
import type { Resource } from '../model/resource.js';
import type { EngineHealth } from './engine-health.js';
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
  health: EngineHealth;
}

/** Elections followed: `firstElection` settles at the first one; `settled()` waits for the work of the last. */
export interface Terms {
  firstElection: Promise<void>;
  settled(): Promise<void>;
}

/**
 * Campaigns for leadership. Each election reconciles at once ('startup' the first time,
 * 'elected' after), then the monitors check, from the states the previous leader stored.
 * Losing the lead stops jobs and applies (they follow the lease themselves); the monitors go on
 * checking until another instance is seen to lead, because when the store is away no one may:
 * monitoring must not go blind exactly then (a duplicate check is harmless, a gap is not).
 * Terms run one after another, never overlapping.
 */
export function leadershipTerms(leadership: SharedLeadership, { log, monitors, reconcile, latest, health }: TermWork): Terms {
  let term = Promise.resolve();
  let firstElection: () => void = () => {};
  const elected = new Promise<void>((r) => (firstElection = r));
  const onTerm = (work: () => Promise<void>) => {
    term = term.then(work).catch((e: Error) => log.error({ err: e.message }, 'taking or leaving leadership failed'));
    return term;
  };
  let terms = 0;
  // Set when the lease was lost without another instance being seen to take it.
  let unleased = false;
  leadership.view().start({
    onElected: (epoch) =>
      void onTerm(async () => {
        unleased = false;
        health.clear('lease');
        log.info({ epoch }, 'leading: this instance reconciles, checks monitors and schedules jobs');
        await reconcile(terms++ === 0 ? 'startup' : 'elected');
        await monitors.lead(latest());
      }).then(firstElection),
    onDeposed: (reason) =>
      void onTerm(async () => {
        // Leadership given up because this instance stops is not news; losing it while running is.
        if (reason === 'stopping') {
          log.info('leadership released: stopping');
          monitors.follow();
          return;
        }
        unleased = true;
        log.warn({ reason }, 'lease lost: jobs and applies stop; monitors are still checked here until another instance leads');
        health.set('lease', `lease lost (${reason}); monitors are checked here until another instance leads`);
      }).then(firstElection),
    onFollowing: () => {
      if (!unleased) return;
      unleased = false;
      void onTerm(async () => {
        log.warn('following: another instance reconciles, checks monitors and schedules jobs');
        health.clear('lease');
        monitors.follow();
      });
    },
  });
  return { firstElection: elected, settled: () => term };
}
