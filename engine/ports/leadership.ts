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
}
