import { KINDS, type Resource } from '../../model/resource.js';
import type { Clock } from '../../ports/clock.js';
import type { Events } from '../../ports/events.js';
import type { EventRecord, Store } from '../../ports/store.js';
import { liveSpecs } from '../live-specs.js';
import { routingFrom } from './channels.js';
import { NotificationDispatcher, type RetryPolicy } from './dispatcher.js';

/** How long a one-shot command waits for its notifications by default. */
export const DEFAULT_DELIVERY_DEADLINE_MS = 10_000;

/**
 * The Events port of a one-shot command (`ploy apply`): records every event, as serve does, and
 * keeps it to be delivered before the command exits. Delivery waits for the end of the apply so
 * that channels created or changed by this very apply are the ones used.
 */
export function collectingEvents(store: Store, clock: Clock): Events & { recorded: EventRecord[] } {
  const recorded: EventRecord[] = [];
  return {
    recorded,
    async emit(e) {
      recorded.push(
        await store.recordEvent({ type: e.type, resource: e.resource, message: e.message, data: e.data, at: clock.now() }),
      );
    },
  };
}

/** What became of a command's notifications, per channel and event. */
export interface DeliveryOutcome {
  channel: string;
  event: string;
  status: 'delivered' | 'failed' | 'unfinished';
  /** Already scrubbed of the channel's secrets by the dispatcher. */
  error?: string;
}

/**
 * Delivers `events` to their channels (the applied Notifications, secrets from `desired`) with
 * the dispatcher's retries, for at most `deadlineMs`. Whatever is not done by then is stopped
 * and left `retrying` in the store: the next `ploy serve` resumes it. Never throws for a
 * channel's failure.
 */
export async function deliverBeforeExit(
  deps: {
    store: Store;
    clock: Clock;
    desired: readonly Resource[];
    retry?: RetryPolicy;
    deadlineMs?: number;
  },
  events: readonly EventRecord[],
): Promise<DeliveryOutcome[]> {
  if (events.length === 0) return [];
  const { store, clock } = deps;
  const quiet = { warn: () => undefined, info: () => undefined };
  const dispatcher = new NotificationDispatcher({ store, clock, log: quiet, retry: deps.retry });
  dispatcher.setRouting(routingFrom(await liveSpecs(store, deps.desired, KINDS)));
  for (const e of events) dispatcher.dispatch(e);
  const timer = new AbortController();
  await Promise.race([
    dispatcher.idle(),
    clock.sleep(deps.deadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS, timer.signal).catch(() => undefined),
  ]);
  timer.abort();
  await dispatcher.stop();
  const outcomes: DeliveryOutcome[] = [];
  for (const e of events) {
    for (const d of await store.listDeliveries({ eventId: e.id })) {
      const status = d.status === 'delivered' ? 'delivered' : d.status === 'failed' ? 'failed' : 'unfinished';
      outcomes.push({ channel: d.notification, event: e.type, status, ...(d.error ? { error: d.error } : {}) });
    }
  }
  return outcomes;
}

/** One line for the terminal: what was delivered, what failed and why, what is left for `ploy serve`. */
export function describeDeliveries(outcomes: readonly DeliveryOutcome[], deadlineMs: number): string | undefined {
  if (outcomes.length === 0) return undefined;
  const of = (s: DeliveryOutcome['status']) => outcomes.filter((o) => o.status === s);
  const parts: string[] = [];
  const delivered = of('delivered');
  if (delivered.length) parts.push(`${delivered.length} delivered`);
  for (const o of of('failed')) parts.push(`${o.event} to ${o.channel} failed: ${o.error ?? 'unknown error'}`);
  for (const o of of('unfinished')) {
    parts.push(
      `${o.event} to ${o.channel} not delivered within ${Math.round(deadlineMs / 1000)}s${o.error ? ` (${o.error})` : ' (the channel is slow)'}; ploy serve retries it`,
    );
  }
  return `Notifications: ${parts.join('; ')}.`;
}
