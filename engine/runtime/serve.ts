import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { startHttpServer } from '../api/http-server.js';
import { createMetrics, type Metrics } from '../api/metrics.js';
import { type Api, createApi } from '../api/server.js';
import { findWebRoot } from '../api/static-files.js';
import type { EngineConfig } from '../config/types.js';
import { parseDuration } from '../kinds/units.js';
import type { Clock } from '../ports/clock.js';
import type { ReadModel } from '../ports/read-model.js';
import type { Store } from '../ports/store.js';
import type { SourceDriver } from '../source/source-driver.js';
import { Reconciler } from './reconciler.js';
import { recordedEvents } from './recorded-events.js';

export interface ServeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  version: string;
  /** Where desired state comes from (main.ts picks the local or git driver). */
  source: SourceDriver;
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
  server: Server;
  /** The GraphQL API, when a read model was given. */
  api?: Api;
  stop(): Promise<void>;
}

/**
 * `ploy serve`: reconcile at start, whenever the source changes (watch, poll or webhook), on
 * an authenticated /hooks/sync, and every `sync.selfHeal` interval; serve /healthz.
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const { store, clock, log, source, readModel } = deps;
  const metrics: Metrics | undefined = readModel && createMetrics({ store, readModel, version: deps.version });
  const reconciler = new Reconciler({
    store,
    clock,
    events: recordedEvents(store, clock),
    loadDesired: () => source.load(),
    sync: config.sync,
    source: source.description,
    log,
    observe: metrics?.observeReconcile,
  });
  const api =
    readModel &&
    createApi(
      {
        store,
        readModel,
        clock,
        version: deps.version,
        token: config.api.token,
        livePollMs: deps.livePollMs,
        engine: {
          lastSync: () => reconciler.last,
          runs: () => reconciler.runs,
          source: source.description,
          syncAuto: config.sync.auto,
        },
      },
      log,
    );
  const interrupted = await store.markInterruptedApplies(clock.now());
  if (interrupted) log.warn({ interrupted }, 'applies cut short by a crash were marked interrupted; reconciling converges');
  const server = await startHttpServer(config.api.listen, {
    version: deps.version,
    lastSync: () => reconciler.last,
    webhookSecret: config.webhook?.secret,
    apiToken: config.api.token,
    sourceRef: source.ref,
    onPush: () => source.poke(),
    onSync: () => void reconciler.trigger('api-sync'),
    api,
    metrics,
    webRoot: deps.webRoot ?? findWebRoot(),
  });
  log.info({ listen: config.api.listen, source: source.description }, 'ploy serve started');
  await source.start((why) => void reconciler.trigger(why));
  const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
  const heal = healEvery ? setInterval(() => void reconciler.trigger('self-heal'), healEvery) : undefined;
  await reconciler.trigger('startup');
  return {
    reconciler,
    server,
    api,
    async stop() {
      clearInterval(heal);
      await source.stop();
      await reconciler.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Open subscription streams (SSE) would hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
