import { isFailingEvent, Time } from './ui.js';
import { ResourceLink } from './links.js';

export interface EventRow {
  id: string;
  type: string;
  resource: string | null;
  message: string;
  at: string;
}

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
