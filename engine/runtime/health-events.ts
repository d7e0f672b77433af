import type { Events } from '../ports/events.js';
import type { EngineHealth } from './engine-health.js';

interface Log {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/**
 * Says each change of the engine's health: a log line at the level it deserves, and an
 * `engine.degraded` / `engine.recovered` event, which notifications deliver (when the store is
 * what failed, the event waits in the events' outbox and is recorded when it answers).
 */
export function announceHealth(health: EngineHealth, events: Events, log: Log, instance: string): void {
  let since: string | undefined;
  health.onChange(({ report, previous }) => {
    if (report.status === 'ok') {
      log.info({ reasons: report.reasons }, 'engine recovered: everything it depends on answers again');
      void events
        .emit({
          type: 'engine.recovered',
          message: `Ploy on ${instance} recovered${report.reasons.length ? ` from: ${report.reasons.join('; ')}` : ''}`,
          data: { reasons: report.reasons, since, instance },
        })
        .catch((e: Error) => log.error({ err: e.message }, 'engine.recovered could not be recorded'));
      since = undefined;
      return;
    }
    since ??= report.since?.toISOString();
    const line = report.status === 'failing' ? log.error.bind(log) : log.warn.bind(log);
    line({ status: report.status, previous, reasons: report.reasons }, `engine ${report.status}: ${report.reasons.join('; ')}`);
    void events
      .emit({
        type: 'engine.degraded',
        message: `Ploy on ${instance} is ${report.status}: ${report.reasons.join('; ')}`,
        data: { status: report.status, reasons: report.reasons, since, instance },
      })
      .catch((e: Error) => log.error({ err: e.message }, 'engine.degraded could not be recorded'));
  });
}
