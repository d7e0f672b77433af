import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ReconcileResult } from '../runtime/reconciler.js';
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
export function createMetrics(deps: Pick<ApiDeps, 'store' | 'readModel' | 'version'>): Metrics {
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

  async function collect() {
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
      await collect();
      return registry.metrics();
    },
  };
}
