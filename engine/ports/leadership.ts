/**
 * Which `ploy serve` instance schedules jobs. Several instances may share one PostgreSQL; one
 * leads at a time, and each term of leadership has an epoch, a number that only grows, which
 * every occurrence claim carries so the store can refuse the claims of a deposed leader.
 */
export interface Leadership {
  /**
   * Campaigns until `stop()`: calls `onElected` with the new epoch each time this instance
   * becomes leader, and `onDeposed` the moment it knows it no longer is.
   */
  start(handlers: LeadershipHandlers): void;
  /** Gives up leadership (if held) and stops campaigning. */
  stop(): Promise<void>;
}

export interface LeadershipHandlers {
  onElected(epoch: number): void;
  onDeposed(reason: string): void;
  /**
   * Another instance is seen to hold the lease. Losing the lease (`onDeposed`) does not say
   * who leads: when the store cannot be reached, no one may. This does, so work that must not
   * stop during an outage (monitor checks) stops only when another instance does it.
   */
  onFollowing?(): void;
}
