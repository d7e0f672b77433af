/**
 * The composition root: the only file that builds real adapters (store, clock, terminal) and
 * hands them to the CLI. Tests build their own CliDeps instead.
 */
import { createInterface } from 'node:readline/promises';
import { openStore } from './adapters/store/open-store.js';
import { systemClock } from './adapters/system-clock.js';
import type { CliDeps } from './cli/deps.js';
import { runCli } from './cli/run.js';
import { isSensitive } from './load/sensitive.js';
import { compileKindValidators } from './validate/schemas.js';
import { pino } from 'pino';
import { VERSION } from './cli/run.js';
import type { EngineConfig } from './config/types.js';
import { startEngine } from './runtime/serve.js';

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
    serve,
  };
}

function openConfiguredStore(config: EngineConfig) {
  const url = config.store.url;
  return openStore(isSensitive(url) ? url.reveal() : url, { embeddedDir: config.store.embeddedDir });
}

/** `ploy serve`: runs until SIGINT/SIGTERM, then stops cleanly and exits 0. */
async function serve(config: EngineConfig): Promise<number> {
  const log = pino({ level: config.log.level, base: undefined });
  const store = await openConfiguredStore(config);
  const engine = await startEngine(config, { store, clock: systemClock, log, env: process.env, validators: compileKindValidators(), version: VERSION });
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
