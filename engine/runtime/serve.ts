import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { startHttpServer } from '../api/http-server.js';
import type { EngineConfig } from '../config/types.js';
import { parseDuration } from '../kinds/units.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Leadership } from '../ports/leadership.js';
import type { Store } from '../ports/store.js';
import type { SourceDriver } from '../source/source-driver.js';
import { Reconciler } from './reconciler.js';
import { recordedEvents } from './recorded-events.js';
import { Scheduler } from './scheduler/scheduler.js';
import { singleInstanceLeadership } from './scheduler/single-instance.js';

export interface ServeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  version: string;
  /** Where desired state comes from (main.ts picks the local or git driver). */
  source: SourceDriver;
  /** Who schedules jobs among instances sharing a PostgreSQL store; default: this one alone (embedded store). */
  leadership?: Leadership;
  /** Docker, for `container` and `exec` jobs; without it those jobs fail and say why. */
  containers?: ContainerRuntime;
}

/** A running engine; `stop()` ends it cleanly (watcher, timers, HTTP server). */
export interface RunningEngine {
  reconciler: Reconciler;
  scheduler: Scheduler;
  server: Server;
  stop(): Promise<void>;
}

/**
 * `ploy serve`: reconcile at start, whenever the source changes (watch, poll or webhook), on
 * an authenticated /hooks/sync, and every `sync.selfHeal` interval; serve /healthz.
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const { store, clock, log, source } = deps;
  const events = recordedEvents(store, clock);
  const scheduler = new Scheduler({
    store,
    events,
    clock,
    log,
    leadership: deps.leadership ?? singleInstanceLeadership(store, clock, `${hostname()}:${process.pid}`),
    runners: { containers: deps.containers },
  });
  const reconciler = new Reconciler({
    store,
    clock,
    events,
    loadDesired: async () => {
      const desired = await source.load();
      // Secret values for job runs come from here: the applied state keeps only digests.
      scheduler.offerDesired(desired.resources);
      return desired;
    },
    sync: config.sync,
    source: source.description,
    log,
  });
  // After every reconcile the scheduler re-reads the applied jobs (it also polls, for applies made elsewhere).
  const reconcile = (why: string) => reconciler.trigger(why).then(() => scheduler.refresh());
  const interrupted = await store.markInterruptedApplies(clock.now());
  if (interrupted) log.warn({ interrupted }, 'applies cut short by a crash were marked interrupted; reconciling converges');
  const server = await startHttpServer(config.api.listen, {
    version: deps.version,
    lastSync: () => reconciler.last,
    webhookSecret: config.webhook?.secret,
    apiToken: config.api.token,
    sourceRef: source.ref,
    onPush: () => source.poke(),
    onSync: () => void reconcile('api-sync'),
  });
  log.info({ listen: config.api.listen, source: source.description }, 'ploy serve started');
  await source.start((why) => void reconcile(why));
  const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
  const heal = healEvery ? setInterval(() => void reconcile('self-heal'), healEvery) : undefined;
  await reconciler.trigger('startup');
  await scheduler.start();
  return {
    reconciler,
    scheduler,
    server,
    async stop() {
      clearInterval(heal);
      await scheduler.stop();
      await source.stop();
      await reconciler.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
