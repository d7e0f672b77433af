import { error } from '../../model/diagnostic.js';
import type { KindHandler, Reference } from '../kind.js';
import { isValidTimezone, parseSchedule } from '../schedule.js';
import { defaults, text } from '../shared.js';
import type { JobSpec } from '../spec-types.generated.js';

const RUNNERS = ['container', 'shell', 'http', 'exec'] as const;

/** Job: a scheduled task. Applying one records it; `ploy serve`'s scheduler runs it. */
export const job: KindHandler<JobSpec> = {
  kind: 'Job',

  withDefaults(spec) {
    const out = defaults(spec, {
      timezone: 'UTC',
      timeout: '1h',
      retries: 0,
      concurrency: 'forbid',
      suspend: false,
      missed: { policy: 'skip' },
      history: { keep: 100 },
    });
    if (spec.missed) out.missed = defaults(spec.missed, { policy: 'skip' });
    if (spec.history) out.history = defaults(spec.history, { keep: 100 });
    if (spec.http) out.http = defaults(spec.http, { method: 'GET' });
    return out;
  },

  references(spec) {
    const refs: Reference[] = [];
    (spec.notify ?? []).forEach((name, i) =>
      refs.push({ kind: 'Notification', name, path: ['notify', i], ordering: true, acyclic: false }),
    );
    (spec.then ?? []).forEach((name, i) => refs.push({ kind: 'Job', name, path: ['then', i], ordering: false, acyclic: true }));
    const app = spec.exec?.app;
    if (app) refs.push({ kind: 'App', name: app, path: ['exec', 'app'], ordering: true, acyclic: false });
    return refs;
  },

  check(r) {
    const tz = text(r.spec.timezone) ?? 'UTC';
    const ds = [];
    if (!isValidTimezone(tz)) {
      ds.push(
        error(
          'invalid-timezone',
          `Unknown timezone "${tz}": use an IANA name like Europe/Berlin or UTC.`,
          r.posOf(['timezone']),
          r.key,
        ),
      );
    }
    const schedule = text(r.spec.schedule);
    if (schedule !== undefined) {
      const parsed = parseSchedule(schedule, isValidTimezone(tz) ? tz : 'UTC');
      if ('error' in parsed) ds.push(error('invalid-schedule', parsed.error, r.posOf(['schedule']), r.key));
    }
    return ds;
  },

  replaceReason() {
    // A job has no long-lived runtime object: every change is an update of its schedule entry.
    return undefined;
  },

  async execute(change) {
    // The applied spec is the scheduler's input: recording it is the whole change.
    if (change.action === 'delete') return { status: 'succeeded', message: 'removed from the schedule' };
    const runner = RUNNERS.find((k) => change.after[k] !== undefined);
    return { status: 'succeeded', message: `recorded (${runner} runner); ploy serve schedules it` };
  },
};
