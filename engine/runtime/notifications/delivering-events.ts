import type { Clock } from '../../ports/clock.js';
import type { EngineEvent, Events } from '../../ports/events.js';
import type { Store } from '../../ports/store.js';
import { isStoreFault } from '../health-reporting-store.js';
import type { NotificationDispatcher } from './dispatcher.js';

export interface DeliveringEventsOptions {
  /** Most events held while the store cannot record them; past it the oldest are dropped (and logged). */
  maxPending?: number;
  /** How often held events are offered to the store again. */
  retryMs?: number;
  log?: { warn(o: object, msg: string): void; info(o: object, msg: string): void; error(o: object, msg: string): void };
}

/** The Events port of `ploy serve`, with what it holds while the store is away. */
export interface DeliveringEvents extends Events {
  /** Events waiting for the store. */
  readonly pending: number;
  /** Events dropped because too many waited. */
  readonly dropped: number;
  /** Records what waits (in order) and stops retrying. */
  stop(): Promise<void>;
}

/**
 * Every event is recorded, then delivered to its channels (without waiting). While the store
 * cannot record (an outage, a full disk), events wait here in order, with the time they
 * happened, and are recorded and delivered when it answers again: an alert raised during a
 * database outage is late, not lost. Events that come meanwhile queue behind them, so the
 * order holds. Errors that are not store faults are thrown to the emitter as before.
 */
export function deliveringEvents(
  store: Store,
  clock: Clock,
  dispatcher: NotificationDispatcher,
  opts: DeliveringEventsOptions = {},
): DeliveringEvents {
  const maxPending = opts.maxPending ?? 10_000;
  const held: Array<EngineEvent & { at: Date }> = [];
  let dropped = 0;
  let draining: Promise<void> | undefined;
  const record = async (e: EngineEvent & { at: Date }) =>
    dispatcher.dispatch(
      await store.recordEvent({ type: e.type, resource: e.resource, message: e.message, data: e.data, at: e.at }),
    );
  const drain = async () => {
    while (held.length > 0) {
      try {
        await record(held[0]);
      } catch (err) {
        if (isStoreFault(err)) return;
        opts.log?.error({ type: held[0].type, err: (err as Error).message }, 'a held event could not be recorded; dropped');
      }
      held.shift();
    }
    opts.log?.info({ dropped }, 'held events recorded: the store answers again');
  };
  const retry = () => (draining ??= drain().finally(() => (draining = undefined)));
  const timer = setInterval(() => held.length > 0 && void retry(), opts.retryMs ?? 2_000);
  timer.unref();
  const hold = (e: EngineEvent & { at: Date }, err: Error) => {
    if (held.length === 0)
      opts.log?.warn({ type: e.type, err: err.message }, 'events cannot be recorded now; holding them until the store answers');
    held.push(e);
    if (held.length > maxPending) {
      held.shift();
      dropped++;
      opts.log?.error({ dropped }, 'too many events held while the store is away: the oldest was dropped');
    }
  };
  return {
    get pending() {
      return held.length;
    },
    get dropped() {
      return dropped;
    },
    async emit(e) {
      const at = clock.now();
      if (held.length > 0) return hold({ ...e, at }, new Error('earlier events are still held'));
      try {
        await record({ ...e, at });
      } catch (err) {
        if (!isStoreFault(err)) throw err;
        hold({ ...e, at }, err as Error);
      }
    },
    async stop() {
      clearInterval(timer);
      if (held.length > 0) await retry();
    },
  };
}
