import { parseCondition } from '../../conditions/index.js';
import { type Diagnostic, error } from '../../model/diagnostic.js';
import type { KindHandler, Reference } from '../kind.js';
import { isValidTimezone, parseSchedule } from '../schedule.js';
import { defaults, list, text } from '../shared.js';

export const PROBES = ['http', 'tcp', 'dns', 'tls', 'docker', 'push', 'ping'] as const;

/** Monitor: an uptime check. Applying one records it; `ploy serve` runs its probe on its interval. */
export const monitor: KindHandler = {
  kind: 'Monitor',

  withDefaults(spec) {
    const out = defaults(spec, { interval: '60s', timeout: '10s', retries: 0, failureThreshold: 3, successThreshold: 2 });
    const http = spec.http as Record<string, unknown> | undefined;
    if (http) out.http = defaults(http, { method: 'GET' });
    const dns = spec.dns as Record<string, unknown> | undefined;
    if (dns) out.dns = defaults(dns, { type: 'A' });
    return out;
  },

  references(spec) {
    const refs: Reference[] = [];
    list<string>(spec.notify).forEach((name, i) =>
      refs.push({ kind: 'Notification', name, path: ['notify', i], ordering: true, acyclic: false }),
    );
    list<string>(spec.dependsOn).forEach((name, i) =>
      refs.push({ kind: 'Monitor', name, path: ['dependsOn', i], ordering: false, acyclic: true }),
    );
    for (const probe of ['docker', 'http'] as const) {
      const app = (spec[probe] as { app?: unknown } | undefined)?.app;
      if (typeof app === 'string') refs.push({ kind: 'App', name: app, path: [probe, 'app'], ordering: true, acyclic: false });
    }
    return refs;
  },

  check(r) {
    const ds: Diagnostic[] = [];
    list(r.spec.conditions).forEach((c, i) => {
      const source = text(c) ?? '';
      const parsed = parseCondition(source);
      if (!parsed.ok) {
        const at = r.posOf(['conditions', i]);
        ds.push(
          error(
            'invalid-condition',
            `Condition "${source}" does not parse (at character ${parsed.column}): ${parsed.error}`,
            at,
            r.key,
          ),
        );
      }
    });
    list<Record<string, unknown>>(r.spec.maintenance).forEach((w, i) => {
      const tz = text(w.timezone) ?? 'UTC';
      if (!isValidTimezone(tz)) {
        ds.push(
          error(
            'invalid-timezone',
            `Unknown timezone "${tz}": use an IANA name like Europe/Berlin.`,
            r.posOf(['maintenance', i, 'timezone']),
            r.key,
          ),
        );
      }
      const schedule = text(w.schedule);
      const parsed = schedule === undefined ? undefined : parseSchedule(schedule, isValidTimezone(tz) ? tz : 'UTC');
      if (parsed && 'error' in parsed)
        ds.push(error('invalid-schedule', parsed.error, r.posOf(['maintenance', i, 'schedule']), r.key));
    });
    return ds;
  },

  replaceReason() {
    return undefined;
  },

  async execute(change) {
    // The applied spec is the monitor runtime's input: recording it is the whole change.
    if (change.action === 'delete') return { status: 'succeeded', message: 'check stopped' };
    const probe = PROBES.find((k) => change.after?.[k] !== undefined);
    return { status: 'succeeded', message: `recorded (${probe} probe); ploy serve runs it` };
  },
};
