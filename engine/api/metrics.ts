import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ReconcileResult } from '../runtime/reconciler.js';
import type { MonitorRuntimeStats } from '../runtime/monitors/monitor-runtime.js';
import type { ApiDeps } from './deps.js';
import { createLoaders } from './loaders.js';
import { statusOf } from './types/resource.js';

/** What `GET /metrics` serves, and the hook the reconciler reports each pass to. */
export interface Metrics {
  registry: Registry;
  observeReconcile(result: ReconcileResult, seconds: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  contentType: string;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Prometheus metrics. Reconcile duration is observed as it happens; everything else is read
 * from the store when scraped (a few grouped statements), so every instance sharing a
 * PostgreSQL reports the same runtime facts, and nothing is counted twice in memory.
 * Counts from history tables are gauges: history is pruned, so they may go down.
 */
/** The engine's health, as the metrics report it. */
export interface EngineStats {
  health: 'ok' | 'degraded' | 'failing';
  storeErrors: number;
  eventsHeld: number;
}

export function createMetrics(
  deps: Pick<ApiDeps, 'store' | 'readModel' | 'version'> & {
    /** The monitor runtime's own counters: the schedule's honesty and the heartbeat pipeline. */
    monitorStats?: () => MonitorRuntimeStats;
    /** The engine's health and what it holds while the store is away. */
    engineStats?: () => EngineStats;
  },
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ploy_process_' });
  new Gauge({ name: 'ploy_info', help: 'Always 1; the version is a label.', labelNames: ['version'], registers: [registry] })
    .labels(deps.version)
    .set(1);
  const reconcile = new Histogram({
    name: 'ploy_reconcile_duration_seconds',
    help: 'Time of one reconcile pass (snapshot, validate, plan, apply), by outcome.',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const resources = gauge('ploy_resources', 'Applied resources by kind and status.', ['kind', 'status']);
  const monitorUp = gauge('ploy_monitor_up', '1 when the monitor is up, 0 otherwise.', ['monitor']);
  const monitorLatency = gauge('ploy_monitor_latency_seconds', 'Latency of the monitor’s last check.', ['monitor']);
  const jobRuns = gauge('ploy_job_runs', 'Job executions kept in history, by result.', ['job', 'result']);
  const lag = gauge('ploy_schedule_lag_seconds', 'Start minus scheduled time over the last 1,000 executions.', ['quantile']);
  const deliveries = gauge('ploy_deliveries', 'Notification deliveries kept in history, by result.', ['notification', 'result']);
  const deployments = gauge('ploy_deployments', 'Deployments kept in history, by result.', ['app', 'result']);

  const monitors = gauge('ploy_monitors', 'Monitors running.', []);
  const checks = gauge('ploy_monitor_checks_total', 'Checks completed since start.', []);
  const skipped = gauge(
    'ploy_monitor_schedule_skipped_total',
    'Check slots skipped: the previous check of the monitor was still running, or still waiting for its host.',
    [],
  );
  const monitorLag = gauge(
    'ploy_monitor_schedule_lag_seconds',
    "Delay between a check's scheduled and actual start (recent checks).",
    ['quantile'],
  );
  const skippedHostBusy = gauge(
    'ploy_monitor_schedule_skipped_host_busy_total',
    'Check slots skipped because the previous check was still waiting for a slot of its target host (part of skipped_total).',
    [],
  );
  // Per host only for hosts whose checks have had to wait: the saturated ones, a short list.
  const hostInFlight = gauge('ploy_monitor_host_checks_in_flight', 'Checks in flight to a saturated target host.', ['host']);
  const hostWaiting = gauge('ploy_monitor_host_checks_waiting', 'Checks waiting for a slot of a saturated target host.', [
    'host',
  ]);
  const hostLimit = gauge('ploy_monitor_host_limit', 'Checks allowed in flight per target host.', []);
  const hostSkipped = gauge(
    'ploy_monitor_host_skipped_total',
    'Check slots of a saturated target host skipped while waiting for one of its slots.',
    ['host'],
  );
  const hostLag = gauge(
    'ploy_monitor_host_schedule_lag_seconds',
    "Delay between a check's scheduled and actual start, for a saturated target host (recent checks).",
    ['host', 'quantile'],
  );
  const buffered = gauge('ploy_heartbeats_buffered', 'Heartbeats waiting to be written.', []);
  const dropped = gauge(
    'ploy_heartbeats_dropped_total',
    'Heartbeats dropped because the buffer was full while the database was down.',
    [],
  );

  const health = gauge('ploy_engine_health', "1 for the engine's health now (ok, degraded or failing), 0 for the others.", [
    'status',
  ]);
  const storeErrors = gauge(
    'ploy_store_errors_total',
    'Store calls that failed because the store did not answer or was full.',
    [],
  );
  const eventsHeld = gauge('ploy_events_held', 'Events waiting for the store to record them.', []);
  const storeUp = gauge('ploy_store_up', '1 when the store answered this scrape, 0 when it did not.', []);

  function collectEngine() {
    const e = deps.engineStats?.();
    if (!e) return;
    for (const status of ['ok', 'degraded', 'failing'] as const) health.labels(status).set(e.health === status ? 1 : 0);
    storeErrors.set(e.storeErrors);
    eventsHeld.set(e.eventsHeld);
  }

  function collectMonitorRuntime() {
    const m = deps.monitorStats?.();
    if (!m) return;
    monitors.set(m.monitors);
    checks.set(m.checks);
    skipped.set(m.skipped);
    monitorLag.labels('0.5').set(m.lagP50Ms / 1000);
    monitorLag.labels('0.99').set(m.lagP99Ms / 1000);
    monitorLag.labels('1').set(m.lagMaxMs / 1000);
    skippedHostBusy.set(m.skippedHostBusy ?? 0);
    for (const g of [hostInFlight, hostWaiting, hostSkipped, hostLag]) g.reset();
    if (m.perHostLimit !== undefined) hostLimit.set(m.perHostLimit);
    for (const h of m.hosts ?? []) {
      hostInFlight.labels(h.host).set(h.inFlight);
      hostWaiting.labels(h.host).set(h.waiting);
      hostSkipped.labels(h.host).set(h.skipped);
      hostLag.labels(h.host, '0.99').set(h.lagP99Ms / 1000);
      hostLag.labels(h.host, '1').set(h.lagMaxMs / 1000);
    }
    buffered.set(m.heartbeatsBuffered);
    dropped.set(m.heartbeatsDropped);
  }

  async function collect() {
    collectMonitorRuntime();
    const loaders = createLoaders(deps.store, deps.readModel);
    const [applied, counts] = await Promise.all([loaders.applied(), deps.readModel.counts()]);
    const statuses = await Promise.all(applied.map((r) => statusOf(r, { loaders })));
    resources.reset();
    applied.forEach((r, i) => resources.labels(r.kind, statuses[i]).inc());
    monitorUp.reset();
    monitorLatency.reset();
    for (const m of counts.monitors) {
      monitorUp.labels(m.monitor).set(m.up ? 1 : 0);
      if (m.latencyMs !== null) monitorLatency.labels(m.monitor).set(m.latencyMs / 1000);
    }
    jobRuns.reset();
    for (const r of counts.jobRuns) jobRuns.labels(r.job, r.status).set(r.count);
    lag.reset();
    const sorted = [...counts.scheduleLagSeconds].sort((a, b) => a - b);
    if (sorted.length) for (const q of [0.5, 0.9, 0.99]) lag.labels(String(q)).set(quantile(sorted, q));
    deliveries.reset();
    for (const r of counts.deliveries) deliveries.labels(r.notification, r.status).set(r.count);
    deployments.reset();
    for (const r of counts.deployments) deployments.labels(r.app, r.status).set(r.count);
  }

  return {
    registry,
    contentType: registry.contentType,
    observeReconcile: (result, seconds) => reconcile.labels(result.outcome).observe(seconds),
    async render() {
      collectEngine();
      // During a store outage the engine's own figures (health, buffered heartbeats) are what
      // matter most: they are served, with the store's figures left as they were last read.
      try {
        await collect();
        storeUp.set(1);
      } catch {
        collectMonitorRuntime();
        storeUp.set(0);
      }
      return registry.metrics();
    },
  };
}
