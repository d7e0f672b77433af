import type { Clock } from '../../ports/clock.js';
import type { Events } from '../../ports/events.js';
import type { Store } from '../../ports/store.js';
import type { NotificationDispatcher } from './dispatcher.js';

/** The Events port for `ploy serve`: every event is recorded, then delivered to its channels (without waiting). */
export function deliveringEvents(store: Store, clock: Clock, dispatcher: NotificationDispatcher): Events {
  return {
    async emit(e) {
      const record = await store.recordEvent({
        type: e.type,
        resource: e.resource,
        message: e.message,
        data: e.data,
        at: clock.now(),
      });
      dispatcher.dispatch(record);
    },
  };
}
