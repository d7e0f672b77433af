/**
 * The composition root: the only file that builds real adapters (store, clock, terminal) and
 * hands them to the CLI. Tests build their own CliDeps instead.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { describeTightened, makePrivateDir } from './adapters/private-dir.js';
import { scrubbedLog, scrubbedOutput } from './adapters/scrubbed-output.js';
import { systemClock } from './adapters/system-clock.js';
import type { CliDeps } from './cli/deps.js';
import { SecretScrubber } from './load/secret-scrubber.js';
import { isSensitive } from './model/sensitive.js';
import { compileKindValidators } from './validate/schemas.js';
import { openStore } from './adapters/store/open-store.js';
import { runCli, VERSION } from './cli/run.js';
import { exposureProblem } from './config/api-settings.js';
import { knownSecrets } from './config/known-secrets.js';
import type { EngineConfig } from './config/types.js';
import type { ContainerRuntime } from './ports/container-runtime.js';
import { scrubbingStore } from './runtime/scrubbing-store.js';

export function realDeps(): CliDeps {
  // One per process, fed by the command with every secret it reads: what the command stores,
  // prints or logs passes through it.
  const scrubber = new SecretScrubber();
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: scrubbedOutput(process.stdout, scrubber),
    stderr: scrubbedOutput(process.stderr, scrubber),
    interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        const answer = await rl.question(`${question} Only "yes" is accepted: `);
        return answer.trim() === 'yes';
      } finally {
        rl.close();
      }
    },
    clock: systemClock,
    validators: compileKindValidators,
    openStore: async (config) => scrubbingStore(await openConfiguredStore(config), scrubber),
    containers: dockerRuntime,
    proxy: caddyProxy,
    inspectStore,
    scrubber,
    serve: (config) => serve(config, scrubber),
  };
}

// Heavy modules (PGlite, postgres.js, pino, chokidar) load only for the commands that use
// them: `ploy validate` never pays for them. The store's opener is light (PGlite loads on the
// store's own thread) and loaded up front, so that thread starts the moment a command asks.
function openConfiguredStore(config: EngineConfig) {
  const url = config.store.url;
  // A command holds the store for about a second: a brief open (`ploy serve` opens its own).
  return openStore(isSensitive(url) ? url.reveal() : url, {
    embeddedDir: config.store.embeddedDir,
    brief: true,
    onNotice: (message) => process.stderr.write(`Warning: ${message}\n`),
  });
}

/** `ploy doctor`: the store as it is; nothing is migrated or created. */
async function inspectStore(config: EngineConfig) {
  const { inspectStore: inspect } = await import('./adapters/store/inspect-store.js');
  const url = config.store.url;
  return inspect(isSensitive(url) ? url.reveal() : url, { embeddedDir: config.store.embeddedDir });
}

/** The Docker Engine of docker.host; nothing connects, and dockerode does not load, until the first call. */
async function dockerRuntime(config: EngineConfig) {
  const { LazyDockerRuntime } = await import('./adapters/docker/lazy-runtime.js');
  return new LazyDockerRuntime({ host: config.docker.host });
}

/**
 * Caddy's admin API when proxy.caddy is configured; with `manage: true`, in front of a Caddy
 * container Ploy runs itself on the Docker runtime.
 */
async function caddyProxy(config: EngineConfig, containers?: ContainerRuntime) {
  if (!config.proxy) return undefined;
  const { admin, listen, manage, image } = config.proxy.caddy;
  const { CaddyProxy } = await import('./adapters/caddy/caddy-proxy.js');
  const caddy = new CaddyProxy(admin, listen);
  if (!manage) return caddy;
  const { ManagedCaddy } = await import('./adapters/caddy/managed-caddy.js');
  return new ManagedCaddy(caddy, containers ?? (await dockerRuntime(config)), { image, admin });
}

/** `ploy serve`: runs until SIGINT/SIGTERM, then stops cleanly and exits 0. */
async function serve(config: EngineConfig, scrubber: SecretScrubber): Promise<number> {
  // Before anything opens: an API reachable from the network needs a token, or an explicit opt-out.
  const exposed = exposureProblem(config.api);
  if (exposed) {
    process.stderr.write(`Error: ${exposed}\n`);
    return 1;
  }
  scrubber.add(knownSecrets(config, process.env));
  const [{ pino }, { startEngine }, { localDriver }, { gitDriver }] = await Promise.all([
    import('pino'),
    import('./runtime/serve.js'),
    import('./source/local-driver.js'),
    import('./source/git-driver.js'),
  ]);
  // JSON lines for machines; readable lines when a person watches a terminal; secrets masked in both.
  const log = pino({ level: config.log.level, base: undefined }, await scrubbedLog(scrubber, !!process.stdout.isTTY));
  if ('git' in config.source) {
    // The clone goes in .ploy/git, private like the embedded store (which checks for itself).
    const tightened = makePrivateDir(join(config.baseDir, '.ploy'));
    if (tightened) log.warn(describeTightened(tightened));
  }
  const { openStoreWithReadModel } = await import('./adapters/store/open-read-model.js');
  const url = isSensitive(config.store.url) ? config.store.url.reveal() : config.store.url;
  const { store, readModel } = await openStoreWithReadModel(url, {
    embeddedDir: config.store.embeddedDir,
    onNotice: (message) => log.warn(message),
  });
  const validators = compileKindValidators();
  const source =
    'git' in config.source
      ? gitDriver(
          { ...config, source: config.source },
          { env: process.env, validators, clock: systemClock, onError: (e) => log.error({ err: e.message }, 'git fetch failed') },
        )
      : localDriver(config, { env: process.env, validators });
  const holder = `${hostname()}:${process.pid}`;
  // Several instances may share a PostgreSQL store: one leader schedules jobs. The embedded
  // store belongs to one process, which is then the only instance (serve's default).
  if (url !== 'embedded') (await import('./adapters/store/postgres-setup-faults.js')).containPostgresSetupFaults(log);
  const leadership =
    url === 'embedded'
      ? undefined
      : (await import('./adapters/store/pg-leadership.js')).postgresLeadership({ url, holder, store, clock: systemClock, log });
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

export function main(argv: string[]): Promise<number> {
  // A reader that stops early (`ploy plan --format json | head`) closes the pipe: the rest of
  // the output has nowhere to go, and the command still finishes what it does (an apply is not
  // cut short halfway) and ends with its own exit code.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return runCli(argv, realDeps());
}
