import { SEVERITY, messageOf } from '../notifiers/message.js';
import { webhookPayload } from '../notifiers/webhook.js';
import { EVENT_CATALOG } from '../ports/event-catalog.js';
import { EVENT_TYPES } from '../ports/events.js';
import { anchorOf, code, GENERATED, page, table } from './markdown.js';

/** A job.failed as the engine records it, for the webhook example. */
const SAMPLE = {
  id: 1,
  type: 'job.failed' as const,
  resource: 'Job/db-backup',
  message: 'job db-backup failed: exit code 1',
  data: {
    occurrence: 42,
    scheduledAt: '2026-01-02T02:15:00.000Z',
    attempt: 3,
    exitCode: 1,
    outputTail: 'pg_dump: error: connection to server failed\n',
  },
  at: new Date('2026-01-02T02:15:09.000Z'),
};

/** docs/reference/events.md: every event, when it happens, and its payload. */
export function eventsPage(): string {
  return page([
    GENERATED,
    '# Events',
    'The engine records an event whenever something happens that someone may need to know; Notifications deliver them (their `events` field picks which). Events are served by the GraphQL API (`events`, and the `events` subscription) and listed in the web UI.',
    'Every event has `type`, `resource` (`Kind/name`, when it is about one resource), `message` (one or more sentences), `data` (below, per type) and `at` (when). Generated from [engine/ports/event-catalog.ts](../../engine/ports/event-catalog.ts).',
    table(
      ['Event', 'Severity', 'When'],
      EVENT_TYPES.map((t) => [`[${code(t)}](#${anchorOf(t)})`, SEVERITY[t], EVENT_CATALOG[t].when]),
    ),
    ...EVENT_TYPES.map((t) => {
      const e = EVENT_CATALOG[t];
      return [
        `## ${t}`,
        e.when,
        `Severity: ${SEVERITY[t]}. Resource: ${e.resource ? code(e.resource) : 'none'}.`,
        table(
          ['`data` field', 'What it holds'],
          Object.entries(e.data).map(([k, v]) => [code(k), v]),
        ),
      ].join('\n\n');
    }),
    '## What a webhook receives',
    "A `webhook` Notification without a `template` POSTs this JSON (here for a `job.failed`); `severity` is the column above, `details` the lines a chat message shows, `data` the event's data as listed above:",
    `\`\`\`json\n${JSON.stringify(webhookPayload(messageOf(SAMPLE)), null, 2)}\n\`\`\``,
  ]);
}
