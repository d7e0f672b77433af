import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { startHttpServer } from '../api/http-server.js';
import { registryCredentials } from '../config/registries.js';
import type { EngineConfig } from '../config/types.js';
import { parseDuration } from '../kinds/units.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
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
  /** The Docker Engine apps are deployed to; without one, app changes stay pending. */
  containers?: ContainerRuntime;
  /** The reverse proxy serving app routes (proxy.caddy). */
  proxy?: Proxy;
}

/** A running engine; `stop()` ends it cleanly (watcher, timers, HTTP server). */
export interface RunningEngine {
  reconciler: Reconciler;
  server: Server;
  stop(): Promise<void>;
}

/**
 * `ploy serve`: reconcile at start, whenever the source changes (watch, poll or webhook), on
 * an authenticated /hooks/sync, and every `sync.selfHeal` interval; serve /healthz.
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const { store, clock, log, source } = deps;
  const reconciler = new Reconciler({
    store,
    clock,
    events: recordedEvents(store, clock),
    loadDesired: () => source.load(),
    sync: config.sync,
    source: source.description,
    log,
    runtime: deps.containers && {
      containers: deps.containers,
      sourceRoot: source.root,
      registries: registryCredentials(config),
      mode: config.docker.mode,
      proxy: deps.proxy,
    },
  });
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
  });
  log.info({ listen: config.api.listen, source: source.description }, 'ploy serve started');
  await source.start((why) => void reconciler.trigger(why));
  const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
  const heal = healEvery ? setInterval(() => void reconciler.trigger('self-heal'), healEvery) : undefined;
  await reconciler.trigger('startup');
  return {
    reconciler,
    server,
    async stop() {
      clearInterval(heal);
      await source.stop();
      await reconciler.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
