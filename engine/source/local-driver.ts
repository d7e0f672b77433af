import type { ValidateFunction } from 'ajv';
import type { EngineConfig } from '../config/types.js';
import type { Kind } from '../model/resource.js';
import { desiredFromConfig, sourceDir } from './desired-from-config.js';
import type { SourceDriver } from './source-driver.js';
import { watchDirectory } from './watch-dir.js';

/** A local directory, watched: a settled burst of saves is one change. */
export function localDriver(
  config: EngineConfig,
  opts: { env: Readonly<Record<string, string | undefined>>; validators: Record<Kind, ValidateFunction> },
): SourceDriver {
  const root = sourceDir(config);
  let watcher: { close(): Promise<void> } | undefined;
  let notify: ((why: string) => void) | undefined;
  return {
    description: root,
    root,
    load: () => desiredFromConfig(config, { env: opts.env, validators: opts.validators, secrets: 'resolve' }),
    async start(onChange) {
      notify = onChange;
      watcher = watchDirectory(root, () => onChange('file-change'));
    },
    poke() {
      notify?.('webhook');
    },
    async stop() {
      await watcher?.close();
    },
  };
}
