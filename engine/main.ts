/**
 * The composition root: the only place that builds real adapters (store, clock, terminal,
 * Docker, Caddy) and wires them in. This file is the `ploy` entry and the CLI's deps; the rest
 * of the root is in root/: `ploy serve` (root/serve.ts), the engine it runs, runtime and API
 * together (root/engine.ts), and what bin/ploy.js starts before the CLI loads
 * (root/prestart.ts). Tests build their own CliDeps instead.
 */
import { createInterface } from 'node:readline/promises';
import { scrubbedOutput } from './adapters/scrubbed-output.js';
import { systemClock } from './adapters/system-clock.js';
import type { CliDeps } from './cli/deps.js';
import { SecretScrubber } from './load/secret-scrubber.js';
import { isSensitive } from './model/sensitive.js';
import { compileKindValidators } from './validate/schemas.js';
import { openStore } from './adapters/store/open-store.js';
import { runCli } from './cli/run.js';
import { exposureProblem } from './config/api-settings.js';
import type { EngineConfig } from './config/types.js';
import { scrubbingStore } from './runtime/scrubbing-store.js';
import { caddyProxy, dockerRuntime } from './root/docker-and-proxy.js';

/**
 * What each command gets from the world. Every adapter here is a function the command calls
 * when it needs it, and loads its modules then: `ploy validate` opens no store and loads no
 * Docker client.
 */
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

/** `ploy serve` (root/serve.ts, with the engine, the API and their packages, loads only for it). */
async function serve(config: EngineConfig, scrubber: SecretScrubber): Promise<number> {
  // Before anything opens: an API reachable from the network needs a token, or an explicit opt-out.
  const exposed = exposureProblem(config.api);
  if (exposed) {
    process.stderr.write(`Error: ${exposed}\n`);
    return 1;
  }
  return (await import('./root/serve.js')).serve(config, scrubber);
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
