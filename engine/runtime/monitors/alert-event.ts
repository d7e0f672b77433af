import type { EngineEvent } from '../../ports/events.js';
import type { Alert } from './state-machine.js';

/** How long, in words: `3m 20s`, `2h 5m`, `4d 1h`. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

/** The event for an alert: what happened, to what, since when, and why (the failing conditions). */
export function alertEvent(monitor: string, alert: Alert, now: Date): EngineEvent {
  const why = alert.failing.length ? alert.failing.map((c) => c.resolved).join('; ') : alert.error;
  const forHow = humanDuration(now.getTime() - alert.since.getTime());
  const message =
    alert.type === 'monitor.up'
      ? `Monitor ${monitor} is UP again after ${forHow} down`
      : alert.kind === 'reminder'
        ? `Monitor ${monitor} is still DOWN (for ${forHow})${why ? `: ${why}` : ''}`
        : `Monitor ${monitor} is DOWN${why ? `: ${why}` : ''}`;
  return {
    type: alert.type,
    resource: `Monitor/${monitor}`,
    message,
    data: {
      monitor,
      since: alert.since.toISOString(),
      kind: alert.kind,
      failing: alert.failing.map((c) => c.resolved),
      ...(alert.error ? { error: alert.error } : {}),
      ...(alert.suppressed ? { suppressed: alert.suppressed } : {}),
    },
  };
}
