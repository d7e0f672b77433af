import type { EventType } from '../ports/events.js';
import type { EventRecord } from '../ports/store.js';
import type { Message } from './types.js';

/** How urgent each event is, as channels show it (PagerDuty's severity, a chat message's colour). */
export const SEVERITY: Record<EventType, Message['severity']> = {
  'monitor.down': 'critical',
  'monitor.up': 'resolved',
  'job.failed': 'critical',
  'job.recovered': 'resolved',
  'job.missed': 'warning',
  'deploy.succeeded': 'info',
  'deploy.failed': 'critical',
  'sync.failed': 'warning',
  'drift.detected': 'warning',
  'engine.degraded': 'warning',
  'engine.recovered': 'resolved',
};
const RESOLVES = new Set<string>(['monitor.up', 'job.recovered', 'engine.recovered']);

/** Lines of a tail shown in a message: enough to see why, short enough for a chat message. */
const TAIL_LINES = 15;
const LINE_CHARS = 300;

const tail = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-TAIL_LINES)
    .map((l) => l.slice(0, LINE_CHARS));

/**
 * The details of an event, from the fields its emitters use: a monitor's failing conditions
 * and error, a job's output tail, a deploy's log tail, a sync's diagnostics.
 */
function details(data: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Array.isArray(data.failing)) out.push(...data.failing.map((c) => `✗ ${String(c)}`));
  if (typeof data.error === 'string' && !out.some((l) => l.includes(data.error as string))) out.push(`Error: ${data.error}`);
  for (const key of ['outputTail', 'output', 'logTail', 'log'] as const) {
    const v = data[key];
    if (typeof v === 'string' && v.trim()) {
      out.push(`${key.startsWith('log') ? 'Log' : 'Output'} (last lines):`, ...tail(v));
      break;
    }
    if (Array.isArray(v) && v.length) {
      out.push(`${key.startsWith('log') ? 'Log' : 'Output'} (last lines):`, ...tail(v.map(String).join('\n')));
      break;
    }
  }
  if (Array.isArray(data.diagnostics)) {
    for (const d of data.diagnostics.slice(0, 10) as Array<Record<string, unknown>>)
      out.push(`${String(d.file)}:${String(d.line)}: ${String(d.message)}`);
  }
  return out;
}

/** The title: the event's message up to its first colon (`Monitor api is DOWN`), at most one line. */
function titleOf(message: string): string {
  const first = message.split('\n')[0];
  const colon = first.indexOf(': ');
  return (colon > 0 ? first.slice(0, colon) : first).slice(0, 200);
}

/** Builds what channels are told from a recorded event. */
export function messageOf(e: EventRecord): Message {
  const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>;
  const type = e.type as EventType;
  const since = typeof data.since === 'string' ? new Date(data.since) : undefined;
  return {
    event: type,
    title: titleOf(e.message),
    text: e.message,
    resource: e.resource ?? undefined,
    at: e.at,
    since: since && !Number.isNaN(since.getTime()) ? since : undefined,
    details: details(data),
    severity: SEVERITY[type] ?? 'info',
    incidentKey: `ploy/${e.resource ?? type}`,
    resolves: RESOLVES.has(type),
    data,
  };
}

/** The message of `ploy notify test`. */
export function testMessage(channel: string, at: Date): Message {
  return {
    event: 'test',
    title: `Test message from Ploy to ${channel}`,
    text: `Test message from Ploy to ${channel}: if you read this, the channel works.`,
    at,
    details: [],
    severity: 'info',
    incidentKey: `ploy/test/${channel}`,
    resolves: false,
    data: {},
  };
}
