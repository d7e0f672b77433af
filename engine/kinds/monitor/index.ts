import { parseCondition } from '../../conditions/index.js';
import { type Diagnostic, error } from '../../model/diagnostic.js';
import type { KindHandler, Reference } from '../kind.js';
import { isValidTimezone, parseSchedule } from '../schedule.js';
import { defaults, text } from '../shared.js';
import type { MonitorSpec } from '../spec-types.generated.js';

export const PROBES = ['http', 'tcp', 'dns', 'tls', 'docker', 'push', 'ping'] as const;

/** Monitor: an uptime check. Applying one records it; `ploy serve` runs its probe on its interval. */
export const monitor: KindHandler<MonitorSpec> = {
  kind: 'Monitor',

  withDefaults(spec) {
    const out = defaults(spec, { interval: '60s', timeout: '10s', retries: 0, failureThreshold: 3, successThreshold: 2 });
    if (spec.http) out.http = defaults(spec.http, { method: 'GET' });
    if (spec.dns) out.dns = defaults(spec.dns, { type: 'A' });
    return out;
  },

  references(spec) {
    const refs: Reference[] = [];
    (spec.notify ?? []).forEach((name, i) =>
      refs.push({ kind: 'Notification', name, path: ['notify', i], ordering: true, acyclic: false }),
    );
    (spec.dependsOn ?? []).forEach((name, i) =>
      refs.push({ kind: 'Monitor', name, path: ['dependsOn', i], ordering: false, acyclic: true }),
    );
    for (const probe of ['docker', 'http'] as const) {
      const app = spec[probe]?.app;
      if (typeof app === 'string') refs.push({ kind: 'App', name: app, path: [probe, 'app'], ordering: true, acyclic: false });
    }
    return refs;
  },

  check(r) {
    const ds: Diagnostic[] = [];
    (r.spec.conditions ?? []).forEach((c, i) => {
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
    (r.spec.maintenance ?? []).forEach((w, i) => {
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
    const probe = PROBES.find((k) => change.after[k] !== undefined);
    return { status: 'succeeded', message: `recorded (${probe} probe); ploy serve runs it` };
  },
};
