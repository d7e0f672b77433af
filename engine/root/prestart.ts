/**
 * What `ploy` does before its CLI has even loaded (bin/ploy.js runs this small module first,
 * then loads the CLI: ~40 ms of modules, then the config). A plan or an apply on the embedded
 * store spends most of its time waiting for the store's thread to start and load PGlite;
 * starting that thread now takes the CLI's own loading off that wait.
 */
import { discardStoreThread, prestartStoreThread, warmStoreThread } from '../adapters/store/pglite-driver.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Starts what the command named by `argv` will need, if it can tell: the store's thread at
 * once, on a guess from the command line; then, with the config read as the command will read
 * it, PGlite loading on that thread, or the thread ended if the store is PostgreSQL. Never
 * fails: the command itself reports a config it cannot read.
 */
export async function prestart(argv: readonly string[], env: Env, cwd: string): Promise<void> {
  if (!mayOpenEmbeddedStore(argv, env)) return;
  prestartStoreThread();
  try {
    // Loaded after the thread has started; the CLI loads the same modules next anyway.
    const [{ loadConfig }, { compileKindValidators }] = await Promise.all([
      import('../config/load-config.js'),
      import('../validate/schemas.js'),
    ]);
    const { config } = loadConfig({
      configPath: optionValue(argv, '--config'),
      cwd,
      env,
      validator: compileKindValidators().config,
    });
    if (config?.store.url === 'embedded') warmStoreThread({ brief: true });
    else discardStoreThread();
  } catch {
    // The command reads the config again and says what is wrong with it.
  }
}

/**
 * Whether the command is likely to open the embedded store: `plan` (not against a git base)
 * and `apply`, unless the environment names another store (DATABASE_URL and PLOY_STORE_URL
 * override the config; load-config.ts). A guess, not a decision: a thread started for a store
 * that turns out to be PostgreSQL is ended unused.
 */
export function mayOpenEmbeddedStore(argv: readonly string[], env: Env): boolean {
  const url = env.PLOY_STORE_URL ?? env.DATABASE_URL;
  if (url && url !== 'embedded') return false;
  const [command] = argv;
  return (command === 'plan' && optionValue(argv, '--base') === undefined) || command === 'apply';
}

/** The value of `--name VALUE` or `--name=VALUE`, as the CLI's parser reads it. */
function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}
