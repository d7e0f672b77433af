import type { Server } from 'node:http';
import type { ValidateFunction } from 'ajv';
import type { Logger } from 'pino';
import { startHttpServer } from '../api/http-server.js';
import type { EngineConfig } from '../config/types.js';
import type { Kind } from '../kinds/resource.js';
import { parseDuration } from '../kinds/units.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { desiredFromConfig, sourceDir } from '../source/desired-from-config.js';
import { watchDirectory } from '../source/watch-dir.js';
import { Reconciler } from './reconciler.js';
import { recordedEvents } from './recorded-events.js';

export interface ServeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  validators: Record<Kind, ValidateFunction>;
  version: string;
}

/** A running engine; `stop()` ends it cleanly (watcher, timers, HTTP server). */
export interface RunningEngine {
  reconciler: Reconciler;
  server: Server;
  stop(): Promise<void>;
}

/**
 * `ploy serve` for a local directory source: reconcile at start, on every settled change of
 * the directory, and every `sync.selfHeal` interval; serve /healthz. Git sources, webhooks and
 * the API arrive with their issues.
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const root = sourceDir(config);
  const { store, clock, log } = deps;
  const reconciler = new Reconciler({
    store,
    clock,
    events: recordedEvents(store, clock),
    loadDesired: () => desiredFromConfig(config, { env: deps.env, validators: deps.validators, secrets: 'resolve' }),
    sync: config.sync,
    source: root,
    log,
  });
  const interrupted = await store.markInterruptedApplies(clock.now());
  if (interrupted) log.warn({ interrupted }, 'applies cut short by a crash were marked interrupted; reconciling converges');
  const server = await startHttpServer(config.api.listen, { version: deps.version, lastSync: () => reconciler.last });
  log.info({ listen: config.api.listen, source: root }, 'ploy serve started');
  const watcher = watchDirectory(root, () => void reconciler.trigger('file-change'));
  const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
  const heal = healEvery ? setInterval(() => void reconciler.trigger('self-heal'), healEvery) : undefined;
  await reconciler.trigger('startup');
  return {
    reconciler,
    server,
    async stop() {
      clearInterval(heal);
      await watcher.close();
      await reconciler.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
