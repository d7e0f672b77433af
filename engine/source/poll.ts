import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../ports/clock.js';

/** What the poller needs of a source: a fetch that says which commit the ref is at. */
export interface Fetchable {
  fetch(): Promise<{ oid: string }>;
}

/** Called once per new commit, with the commit seen before it (undefined on the first fetch). */
export type OnNewCommit = (oid: string, previous: string | undefined) => void | Promise<void>;

/** A running poll loop. */
export interface GitPoller {
  /**
   * Fetches now (a webhook arrived), after any fetch in progress, and resolves with the commit.
   * Calls that arrive while one is already waiting share it, so a burst of webhooks costs one fetch.
   */
  fetchNow(): Promise<string>;
  /** The last commit seen and the last fetch error (cleared by the next success). */
  status(): { oid: string | undefined; error: Error | undefined };
  /** Stops the loop and waits for a fetch or callback in progress to end. */
  stop(): Promise<void>;
}

// Used when no Clock is passed; adapters/ is off limits here (only the composition root builds real adapters).
// The poller only waits between fetches: it never reads the time.
const timers: Pick<Clock, 'sleep'> = {
  sleep: (ms, signal) => delay(ms, undefined, { signal }).then(() => undefined),
};

/**
 * Fetches `source` now and then every `intervalMs`, and calls `onNewCommit` only when the commit
 * differs from the last one this poller saw. Fetches and callbacks never overlap. The seen commit
 * is remembered before the callback runs, so a callback that fails is not repeated every
 * interval (retrying an apply is the reconciler's job). Errors of fetches and callbacks go to
 * `onError`; the loop keeps going.
 */
export function pollGitSource(
  source: Fetchable,
  intervalMs: number,
  onNewCommit: OnNewCommit,
  clock: Pick<Clock, 'sleep'> = timers,
  onError: (err: Error) => void = () => undefined,
): GitPoller {
  const stopping = new AbortController();
  let last: string | undefined;
  let lastError: Error | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let waiting: Promise<string> | undefined;

  const tick = async (): Promise<string> => {
    let oid: string;
    try {
      ({ oid } = await source.fetch());
      lastError = undefined;
    } catch (e) {
      lastError = e instanceof Error ? e : new Error(String(e));
      throw lastError;
    }
    if (oid !== last) {
      const previous = last;
      last = oid;
      await onNewCommit(oid, previous);
    }
    return oid;
  };

  const fetchNow = (): Promise<string> => {
    if (stopping.signal.aborted) return Promise.reject(new Error('The git poller is stopped.'));
    if (waiting) return waiting;
    const run = chain.then(() => {
      waiting = undefined; // from here on a new request needs a fetch of its own
      return tick();
    });
    waiting = run;
    chain = run.catch(() => undefined);
    return run;
  };

  const loop = async () => {
    while (!stopping.signal.aborted) {
      await fetchNow().catch((e: unknown) => {
        if (!stopping.signal.aborted) onError(e instanceof Error ? e : new Error(String(e)));
      });
      await clock.sleep(intervalMs, stopping.signal).catch(() => undefined);
    }
  };
  const looping = loop();

  return {
    fetchNow,
    status: () => ({ oid: last, error: lastError }),
    stop: async () => {
      stopping.abort();
      await looping;
      await chain;
    },
  };
}
