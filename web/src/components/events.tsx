import { isFailingEvent, Time } from './ui.js';
import { ResourceLink } from './links.js';
import { graphql, type ResultOf } from '../graphql.js';

/** What the event list shows of an event; spread by the Overview's query and the live stream. */
export const EventFields = graphql('fragment EventFields on Event { id type resource message at }');
export type EventRow = ResultOf<typeof EventFields>;

/** Events, failing ones first (then newest first). */
export function EventList({ events, label }: { events: EventRow[]; label: string }) {
  if (events.length === 0) return <p class="empty">No events recorded.</p>;
  const sorted = [...events].sort(
    (a, b) => Number(isFailingEvent(b.type)) - Number(isFailingEvent(a.type)) || b.at.localeCompare(a.at),
  );
  return (
    <ul class="events" aria-label={label}>
      {sorted.map((e) => (
        <li key={e.id} class={isFailingEvent(e.type) ? 'bad' : ''}>
          <code class="etype">{e.type}</code> <ResourceLink resource={e.resource} /> <span class="msg">{e.message}</span>{' '}
          <Time at={e.at} />
        </li>
      ))}
    </ul>
  );
}
