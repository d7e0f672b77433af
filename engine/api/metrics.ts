import type { MonitorStatus } from '../ports/monitor-store.js';

/** What `/metrics` shows about monitors: the schedule's honesty and the heartbeat pipeline. */
export interface MonitorMetrics {
  checks: number;
  monitors: number;
  started: number;
  skipped: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  heartbeatsBuffered: number;
  heartbeatsDropped: number;
  states: Array<{ monitor: string; state: MonitorStatus }>;
}

/** The Prometheus text exposition of the monitor metrics. */
export function prometheusText(m: MonitorMetrics): string {
  const lines = [
    '# HELP ploy_monitors Monitors running.',
    '# TYPE ploy_monitors gauge',
    `ploy_monitors ${m.monitors}`,
    '# HELP ploy_monitor_checks_total Checks completed.',
    '# TYPE ploy_monitor_checks_total counter',
    `ploy_monitor_checks_total ${m.checks}`,
    '# HELP ploy_monitor_schedule_skipped_total Check slots skipped because the previous check of the monitor was still running.',
    '# TYPE ploy_monitor_schedule_skipped_total counter',
    `ploy_monitor_schedule_skipped_total ${m.skipped}`,
    "# HELP ploy_monitor_schedule_lag_seconds Delay between a check's scheduled and actual start (recent checks).",
    '# TYPE ploy_monitor_schedule_lag_seconds summary',
    `ploy_monitor_schedule_lag_seconds{quantile="0.5"} ${m.lagP50Ms / 1000}`,
    `ploy_monitor_schedule_lag_seconds{quantile="0.99"} ${m.lagP99Ms / 1000}`,
    `ploy_monitor_schedule_lag_seconds{quantile="1"} ${m.lagMaxMs / 1000}`,
    `ploy_monitor_schedule_lag_seconds_count ${m.started}`,
    '# HELP ploy_heartbeats_buffered Heartbeats waiting to be written.',
    '# TYPE ploy_heartbeats_buffered gauge',
    `ploy_heartbeats_buffered ${m.heartbeatsBuffered}`,
    '# HELP ploy_heartbeats_dropped_total Heartbeats dropped because the buffer was full while the database was unavailable.',
    '# TYPE ploy_heartbeats_dropped_total counter',
    `ploy_heartbeats_dropped_total ${m.heartbeatsDropped}`,
    '# HELP ploy_monitor_up 1 when the monitor is UP, 0 when DOWN (absent while unknown).',
    '# TYPE ploy_monitor_up gauge',
    ...m.states
      .filter((s) => s.state !== 'unknown')
      .map((s) => `ploy_monitor_up{monitor="${s.monitor}"} ${s.state === 'up' ? 1 : 0}`),
  ];
  return `${lines.join('\n')}\n`;
}
