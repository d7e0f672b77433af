import type { ApiDeps } from '../api/deps.js';
import { createMetrics } from '../api/metrics.js';
import { code, GENERATED, page, table } from './markdown.js';

/** Node.js process metrics from prom-client, named under this prefix; which exist depends on the platform and Node version. */
export const PROCESS_PREFIX = 'ploy_process_';

/** The metrics `GET /metrics` serves, as registered (nothing is collected: no store is read). */
export function ployMetrics(): Array<{ name: string; type: string; help: string; labels: string[] }> {
  const metrics = createMetrics({ version: '0.0.0' } as Pick<ApiDeps, 'store' | 'readModel' | 'version'>);
  return metrics.registry
    .getMetricsAsArray()
    .filter((m) => !m.name.startsWith(PROCESS_PREFIX))
    .map((m) => {
      const meta = m as unknown as { name: string; help: string; type: string; labelNames?: string[] };
      return { name: meta.name, type: String(meta.type), help: meta.help, labels: [...(meta.labelNames ?? [])] };
    });
}

/** docs/reference/metrics.md: every Prometheus metric, its type, labels and meaning. */
export function metricsPage(): string {
  return page([
    GENERATED,
    '# Prometheus metrics',
    '`ploy serve` serves metrics in the Prometheus text format at `GET /metrics` on `api.listen` (behind the API token when one is set). Counts that come from the store are read when scraped, so every instance sharing a PostgreSQL store reports the same runtime facts; counts of history tables are gauges, since history is pruned. Generated from [engine/api/metrics.ts](../../engine/api/metrics.ts).',
    table(
      ['Metric', 'Type', 'Labels', 'Meaning'],
      ployMetrics().map((m) => [code(m.name), m.type, m.labels.map((l) => code(l)).join(', '), m.help]),
    ),
    `Besides these, Node.js's process metrics (CPU, resident memory, heap, event-loop lag, garbage collection, open file descriptors on Linux) are served with the prefix ${code(PROCESS_PREFIX)}, e.g. ${code(`${PROCESS_PREFIX}resident_memory_bytes`)} and ${code(`${PROCESS_PREFIX}nodejs_eventloop_lag_p99_seconds`)}.`,
  ]);
}
