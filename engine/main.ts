/**
 * The composition root: the only file that builds real adapters (store, clock, terminal) and
 * hands them to the CLI. Tests build their own CliDeps instead.
 */
import { hostname } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { systemClock } from './adapters/system-clock.js';
import type { CliDeps } from './cli/deps.js';
import { runCli } from './cli/run.js';
import { isSensitive } from './load/sensitive.js';
import { compileKindValidators } from './validate/schemas.js';
import { VERSION } from './cli/run.js';
import type { EngineConfig } from './config/types.js';

export function realDeps(): CliDeps {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
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
    openStore: openConfiguredStore,
    containers: async (config) => {
      const { DockerRuntime } = await import('./adapters/docker/docker-runtime.js');
      return new DockerRuntime({ host: config.docker.host });
    },
    serve,
  };
}

// Heavy modules (PGlite, postgres.js, pino, chokidar) load only for the commands that use
// them: `ploy validate` never pays for them.
async function openConfiguredStore(config: EngineConfig) {
  const { openStore } = await import('./adapters/store/open-store.js');
  const url = config.store.url;
  return openStore(isSensitive(url) ? url.reveal() : url, { embeddedDir: config.store.embeddedDir });
}

/** `ploy serve`: runs until SIGINT/SIGTERM, then stops cleanly and exits 0. */
async function serve(config: EngineConfig): Promise<number> {
  const [{ pino }, { startEngine }, { localDriver }, { gitDriver }] = await Promise.all([
    import('pino'),
    import('./runtime/serve.js'),
    import('./source/local-driver.js'),
    import('./source/git-driver.js'),
  ]);
  // JSON lines for machines; readable lines when a person watches a terminal.
  const transport = process.stdout.isTTY ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } : undefined;
  const log = pino({ level: config.log.level, base: undefined, transport });
  const store = await openConfiguredStore(config);
  const validators = compileKindValidators();
  const source =
    'git' in config.source
      ? gitDriver(
          { ...config, source: config.source },
          { env: process.env, validators, clock: systemClock, onError: (e) => log.error({ err: e.message }, 'git fetch failed') },
        )
      : localDriver(config, { env: process.env, validators });
  const url = isSensitive(config.store.url) ? config.store.url.reveal() : config.store.url;
  const holder = `${hostname()}:${process.pid}`;
  // Several instances may share a PostgreSQL store: one leader schedules jobs. The embedded
  // store belongs to one process, which is then the only instance (serve's default).
  const leadership =
    url === 'embedded'
      ? undefined
      : (await import('./adapters/store/pg-leadership.js')).postgresLeadership({ url, holder, store, clock: systemClock, log });
  const { DockerRuntime } = await import('./adapters/docker/docker-runtime.js');
  const containers = new DockerRuntime({ host: config.docker.host });
  const engine = await startEngine(config, {
    store,
    clock: systemClock,
    log,
    version: VERSION,
    source,
    leadership,
    containers,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping');
  await engine.stop();
  await store.close();
  return 0;
}

export function main(argv: string[]): Promise<number> {
  return runCli(argv, realDeps());
}
