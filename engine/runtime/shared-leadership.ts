import type { Leadership, LeadershipHandlers } from '../ports/leadership.js';

/** What this instance is, among the `ploy serve` instances sharing one store. */
export type Role = 'leader' | 'follower';

/**
 * One campaign for leadership, shared by everything that only the leader may do: the job
 * scheduler, the reconciler's apply and the monitor checks. One lock, not one per part, so the
 * three can never be led by different instances. Each part subscribes through `view()`, a
 * Leadership of its own: one that subscribes while this instance leads is told at once.
 *
 * The campaign is started and stopped by its owner (serve.ts), not by the parts: a part that
 * stops only unsubscribes, so the lock is kept until the last part has stopped acting on it.
 */
export class SharedLeadership {
  readonly #subscribers = new Set<LeadershipHandlers>();
  #epoch: number | null = null;
  #started = false;

  constructor(private readonly inner: Leadership) {}

  get role(): Role {
    return this.#epoch === null ? 'follower' : 'leader';
  }

  /** The epoch of this instance's term, or null when it does not lead. */
  get epoch(): number | null {
    return this.#epoch;
  }

  /** Starts campaigning (once). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.inner.start({
      onElected: (epoch) => {
        this.#epoch = epoch;
        for (const s of [...this.#subscribers]) s.onElected(epoch);
      },
      onDeposed: (reason) => {
        const was = this.#epoch;
        this.#epoch = null;
        if (was !== null) for (const s of [...this.#subscribers]) s.onDeposed(reason);
      },
      onFollowing: () => {
        for (const s of [...this.#subscribers]) s.onFollowing?.();
      },
    });
  }

  /** Gives up leadership (if held) and stops campaigning; subscribers still listening are told. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    await this.inner.stop();
    if (this.#epoch !== null) {
      this.#epoch = null;
      for (const s of [...this.#subscribers]) s.onDeposed('stopping');
    }
  }

  /** A Leadership for one part: `start` subscribes (and campaigns), `stop` only unsubscribes. */
  view(): Leadership {
    let mine: LeadershipHandlers | undefined;
    return {
      start: (handlers) => {
        mine = handlers;
        this.#subscribers.add(handlers);
        this.start();
        if (this.#epoch !== null) handlers.onElected(this.#epoch);
      },
      stop: async () => {
        if (mine) this.#subscribers.delete(mine);
        mine = undefined;
      },
    };
  }
}
