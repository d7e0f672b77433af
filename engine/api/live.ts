import type { Page } from '../ports/read-model.js';

/** A queue one subscriber reads from; pushes never block the poller. */
class Channel<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  /** Past this many unread items the slowest client loses the oldest: memory stays bounded. */
  static readonly MAX = 1000;

  push(item: T) {
    if (this.#closed) return;
    this.#items.push(item);
    if (this.#items.length > Channel.MAX) this.#items.shift();
    this.#wake?.();
  }

  close() {
    this.#closed = true;
    this.#wake?.();
  }

  async *read(signal?: AbortSignal): AsyncGenerator<T> {
    while (!this.#closed && !signal?.aborted) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      await new Promise<void>((r) => (this.#wake = r));
      this.#wake = undefined;
    }
  }
}

/**
 * One poll loop shared by every subscriber of a feed: it runs only while someone listens, and
 * costs one query per interval however many clients watch. Polling the store (not an
 * in-process bus) is what lets every `ploy serve` instance sharing a PostgreSQL stream what
 * the leader records.
 */
export class PollingFeed<T> {
  readonly #subscribers = new Set<Channel<T>>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(
    private readonly intervalMs: number,
    /** Starts (or restarts) a poll cycle's state; called when the first subscriber arrives. */
    private readonly start: () => Promise<void>,
    /** One poll: returns the new items to fan out. */
    private readonly poll: () => Promise<T[]>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Items from now on; ends when the iterator is returned (the client went away). */
  subscribe(): AsyncIterable<T> {
    const ch = new Channel<T>();
    const first = this.#subscribers.size === 0;
    this.#subscribers.add(ch);
    const ready = first ? this.start().then(() => this.#schedule()) : Promise.resolve();
    const unsubscribe = () => {
      this.#subscribers.delete(ch);
      ch.close();
      if (this.#subscribers.size === 0) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
    return {
      [Symbol.asyncIterator]: () => {
        const inner = (async function* () {
          await ready;
          yield* ch.read();
        })();
        return {
          next: () => inner.next(),
          return: async (v?: unknown) => {
            unsubscribe();
            await inner.return(undefined);
            return { done: true as const, value: v as T };
          },
          throw: async (e?: unknown) => {
            unsubscribe();
            return inner.throw(e);
          },
        };
      },
    };
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  #schedule() {
    if (this.#subscribers.size === 0 || this.#timer) return;
    this.#timer = setTimeout(() => void this.#tick(), this.intervalMs);
    this.#timer.unref();
  }

  async #tick() {
    this.#timer = undefined;
    if (this.#busy || this.#subscribers.size === 0) return;
    this.#busy = true;
    try {
      for (const item of await this.poll()) for (const ch of this.#subscribers) ch.push(item);
    } catch (err) {
      // A store hiccup is retried on the next tick; clients keep their stream.
      this.onError(err);
    } finally {
      this.#busy = false;
      this.#schedule();
    }
  }
}

/** New rows of an append-only table (events), oldest first, from the moment of subscribing. */
export function appendFeed<T extends { id: number }>(
  intervalMs: number,
  read: (page: Page) => Promise<T[]>,
  onError: (err: unknown) => void,
): PollingFeed<T> {
  let last = 0;
  return new PollingFeed<T>(
    intervalMs,
    async () => {
      const [newest] = await read({ limit: 1 });
      last = newest?.id ?? 0;
    },
    async () => {
      const rows = await read({ before: last, inverted: true, limit: 500 });
      if (rows.length) last = rows[rows.length - 1].id;
      return rows;
    },
    onError,
  );
}

/**
 * Rows that change after insert (deployments, executions): emits a row when it appears and
 * whenever its fingerprint (status, finish) changes, until it is finished. Each poll reads the
 * rows from the oldest unfinished one on, so its cost follows the work in flight.
 */
export function progressFeed<T extends { id: number }>(
  intervalMs: number,
  read: (page: Page) => Promise<T[]>,
  fingerprint: (row: T) => string,
  finished: (row: T) => boolean,
  onError: (err: unknown) => void,
): PollingFeed<T> {
  let floor = 0;
  // Fingerprints of the rows above `floor`; `floor` stays just under the oldest unfinished row.
  const seen = new Map<number, { print: string; done: boolean }>();
  const note = (r: T) => seen.set(r.id, { print: fingerprint(r), done: finished(r) });
  const advance = (newest: number) => {
    const open = [...seen].filter(([, v]) => !v.done).map(([id]) => id);
    floor = open.length ? Math.min(...open) - 1 : Math.max(floor, newest);
    for (const id of seen.keys()) if (id <= floor) seen.delete(id);
  };
  const newestOf = (rows: T[]) => rows.reduce((m, r) => Math.max(m, r.id), floor);
  return new PollingFeed<T>(
    intervalMs,
    async () => {
      seen.clear();
      floor = 0;
      const recent = await read({ limit: 100 });
      recent.forEach(note);
      advance(newestOf(recent));
    },
    async () => {
      const rows = await read({ before: floor, inverted: true, limit: 500 });
      const changed = rows.filter((r) => seen.get(r.id)?.print !== fingerprint(r));
      changed.forEach(note);
      advance(newestOf(rows));
      return changed;
    },
    onError,
  );
}

/** A value computed in-process (the engine's sync status), emitted whenever its key changes. */
export function watchFeed<T>(intervalMs: number, current: () => T, key: (v: T) => string): PollingFeed<T> {
  let last = '';
  return new PollingFeed<T>(
    intervalMs,
    async () => {
      last = key(current());
    },
    async () => {
      const v = current();
      const k = key(v);
      if (k === last) return [];
      last = k;
      return [v];
    },
    () => {},
  );
}
