import type { Clock } from '../ports/clock.js';
import type { Events } from '../ports/events.js';
import type { Store } from '../ports/store.js';

/** The Events port over the store: every event is recorded; delivery to channels is layered on top. */
export function recordedEvents(store: Store, clock: Clock): Events {
  return {
    async emit(e) {
      await store.recordEvent({ type: e.type, resource: e.resource, message: e.message, data: e.data, at: clock.now() });
    },
  };
}
