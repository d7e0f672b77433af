/**
 * The running engine of `ploy serve`: the runtime (engine/runtime/serve.ts) with the API, the
 * metrics and the HTTP server in front of it. Wired here, in the composition root, so that
 * runtime/ never imports api/. Tests start it with their own store, clock and source.
 */
import type { Server } from 'node:http';
import { queryLimitsOf } from '../api/deps.js';
import { startHttpServer } from '../api/http-server.js';
import { requestJobRun } from '../api/job-run.js';
import { createMetrics, type Metrics } from '../api/metrics.js';
import { type Api, createApi } from '../api/server.js';
import { findWebRoot } from '../api/static-files.js';
import { deliveryLog } from '../api/webhooks.js';
import { exposureWarning } from '../config/api-settings.js';
import type { EngineConfig } from '../config/types.js';
import type { ReadModel } from '../ports/read-model.js';
import type { MonitorRuntime } from '../runtime/monitors/monitor-runtime.js';
import type { NotificationDispatcher } from '../runtime/notifications/dispatcher.js';
import type { Reconciler } from '../runtime/reconciler.js';
import type { Scheduler } from '../runtime/scheduler/scheduler.js';
import { type EngineRuntime, prepareRuntime, type RuntimeDeps } from '../runtime/serve.js';
import type { Role } from '../runtime/shared-leadership.js';

export interface ServeDeps extends Omit<RuntimeDeps, 'observeReconcile'> {
  version: string;
  /** The store's read side; with it the engine serves the GraphQL API and /metrics. */
  readModel?: ReadModel;
  /** The built web UI to serve at `/`; default: web/dist of this package when it was built. */
  webRoot?: string;
  /** How often live subscriptions poll the store (ms); default 1000. */
  livePollMs?: number;
}

/** A running engine; `stop()` ends it cleanly (watcher, timers, HTTP server). */
export interface RunningEngine {
  reconciler: Reconciler;
  scheduler: Scheduler;
  server: Server;
  monitors: MonitorRuntime;
  notifications: NotificationDispatcher;
  /** The GraphQL API, when a read model was given. */
  api?: Api;
  /** Whether this instance leads now. */
  role(): Role;
  stop(): Promise<void>;
}

/**
 * `ploy serve`: the runtime (reconcile, monitors, jobs, notifications), then the HTTP server
 * (/healthz, webhooks, monitor pushes, and with a read model the API, the UI and /metrics),
 * then the runtime started. Followers of a shared store serve all of it (`role: follower`).
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const { log, source } = deps;
  // The metrics time every reconcile pass, and read the runtime's counters: made once it exists.
  let metrics: Metrics | undefined = undefined;
  const runtime = await prepareRuntime(config, {
    ...deps,
    observeReconcile: (result, seconds) => metrics?.observeReconcile(result, seconds),
  });
  const { reconciler, scheduler, monitors } = runtime;
  metrics =
    deps.readModel &&
    createMetrics({
      store: runtime.store,
      readModel: deps.readModel,
      version: deps.version,
      monitorStats: () => monitors.stats(),
      engineStats: runtime.engineStats,
    });
  const api = apiOf(config, deps, runtime);
  const server = await startHttpServer(config.api.listen, {
    version: deps.version,
    role: runtime.role,
    health: () => runtime.health.report(),
    lastSync: () => reconciler.last,
    webhookSecret: config.webhook?.secret,
    apiToken: config.api.token,
    sourceRef: source.ref,
    onPush: () => source.poke(),
    onSync: () => void runtime.reconcile('api-sync'),
    onMonitorPush: (name, token, report) => monitors.push(name, token, report),
    onJobRun: (name) => requestJobRun(name, { role: runtime.role, runNow: (n) => scheduler.runNow(n) }),
    api,
    metrics,
    webRoot: deps.webRoot ?? findWebRoot(),
    settings: config.api,
    deliveries: deliveryLog(deps.clock),
    log,
  });
  log.info({ listen: config.api.listen, source: source.description }, 'ploy serve started');
  const insecure = exposureWarning(config.api);
  if (insecure) log.warn(insecure);
  await runtime.start();
  return {
    reconciler,
    scheduler,
    server,
    monitors,
    notifications: runtime.notifications,
    api,
    role: runtime.role,
    async stop() {
      await runtime.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Open subscription streams (SSE) would hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The GraphQL API over the store's read side, when there is one. */
function apiOf(config: EngineConfig, deps: ServeDeps, runtime: EngineRuntime): Api | undefined {
  if (!deps.readModel) return undefined;
  const { reconciler } = runtime;
  return createApi(
    {
      store: runtime.store,
      readModel: deps.readModel,
      clock: deps.clock,
      version: deps.version,
      token: config.api.token,
      limits: queryLimitsOf(config.api.limits),
      maxBodyBytes: config.api.limits.bodyBytes,
      livePollMs: deps.livePollMs,
      containers: deps.containers,
      scrubber: runtime.scrubber,
      engine: {
        lastSync: () => reconciler.last,
        runs: () => reconciler.runs,
        source: deps.source.description,
        syncAuto: config.sync.auto,
      },
    },
    deps.log,
  );
}
