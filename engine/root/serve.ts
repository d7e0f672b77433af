/**
 * `ploy serve` as the composition root runs it: the real adapters (the store with its read
 * side, the source driver, leadership over a shared PostgreSQL, Docker, Caddy, the log), handed
 * to the engine (engine.ts). Loaded only when `ploy serve` runs.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { describeTightened, makePrivateDir } from '../adapters/private-dir.js';
import { scrubbedLog } from '../adapters/scrubbed-output.js';
import { openStoreWithReadModel } from '../adapters/store/open-read-model.js';
import { systemClock } from '../adapters/system-clock.js';
import { VERSION } from '../cli/version.js';
import { knownSecrets } from '../config/known-secrets.js';
import type { EngineConfig } from '../config/types.js';
import type { SecretScrubber } from '../load/secret-scrubber.js';
import { isSensitive } from '../model/sensitive.js';
import type { Store } from '../ports/store.js';
import { gitDriver } from '../source/git-driver.js';
import { localDriver } from '../source/local-driver.js';
import type { SourceDriver } from '../source/source-driver.js';
import { compileKindValidators } from '../validate/schemas.js';
import { caddyProxy, dockerRuntime } from './docker-and-proxy.js';
import { startEngine } from './engine.js';

/**
 * `ploy serve`: runs until SIGINT/SIGTERM, then stops cleanly and exits 0. The API's exposure
 * was checked before this module loaded (main.ts).
 */
export async function serve(config: EngineConfig, scrubber: SecretScrubber): Promise<number> {
  scrubber.add(knownSecrets(config, process.env));
  // JSON lines for machines; readable lines when a person watches a terminal; secrets masked in both.
  const log = pino({ level: config.log.level, base: undefined }, await scrubbedLog(scrubber, !!process.stdout.isTTY));
  if ('git' in config.source) {
    // The clone goes in .ploy/git, private like the embedded store (which checks for itself).
    const tightened = makePrivateDir(join(config.baseDir, '.ploy'));
    if (tightened) log.warn(describeTightened(tightened));
  }
  const url = isSensitive(config.store.url) ? config.store.url.reveal() : config.store.url;
  const { store, readModel } = await openStoreWithReadModel(url, {
    embeddedDir: config.store.embeddedDir,
    onNotice: (message) => log.warn(message),
  });
  const source = sourceDriver(config, log);
  const leadership = await leadershipOf(url, store, log);
  // Connects lazily: without a daemon, apps stay pending, docker monitors report it, and everything else runs.
  const containers = await dockerRuntime(config);
  const proxy = await caddyProxy(config, containers);
  // Listening before the engine starts: a stop asked for during startup (monitors still being
  // scheduled after the first reconcile) is a clean stop, not a kill by the default handler.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const engine = await startEngine(config, {
    store,
    readModel,
    clock: systemClock,
    log,
    version: VERSION,
    source,
    leadership,
    containers,
    proxy,
    scrubber,
  });
  await stopRequested;
  log.info('stopping');
  await engine.stop();
  await store.close();
  return 0;
}

/** Where desired state comes from: a git repository (fetched and polled) or a local directory (watched). */
function sourceDriver(config: EngineConfig, log: Logger): SourceDriver {
  const validators = compileKindValidators();
  if (!('git' in config.source)) return localDriver(config, { env: process.env, validators });
  return gitDriver(
    { ...config, source: config.source },
    { env: process.env, validators, clock: systemClock, onError: (e) => log.error({ err: e.message }, 'git fetch failed') },
  );
}

/**
 * Several instances may share a PostgreSQL store: one leader schedules jobs. The embedded
 * store belongs to one process, which is then the only instance (serve's default).
 */
async function leadershipOf(url: string, store: Store, log: Logger) {
  if (url === 'embedded') return undefined;
  // A connection cut while postgres.js sets it up must not end the process (see the file).
  (await import('../adapters/store/postgres-setup-faults.js')).containPostgresSetupFaults(log);
  const { postgresLeadership } = await import('../adapters/store/pg-leadership.js');
  return postgresLeadership({ url, holder: `${hostname()}:${process.pid}`, store, clock: systemClock, log });
}
