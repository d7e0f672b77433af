import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';

export interface ServedEngine {
  engine: RunningEngine;
  store: Store;
  /** Where its HTTP API listens on loopback. */
  port: number;
}

const served: ServedEngine[] = [];

/**
 * `ploy serve` in this process for the config repo at `cwd`: its embedded store, its local
 * source, an API on a free loopback port, silent logs. Stop every one with stopServed().
 */
export async function serveInProcess(cwd: string): Promise<ServedEngine> {
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
  const engine = await startEngine(config!, {
    store,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'test',
  });
  const s = { engine, store, port: (engine.server.address() as AddressInfo).port };
  served.push(s);
  return s;
}

/** Stops the engines serveInProcess started, then closes their stores. For `afterEach`. */
export async function stopServed(): Promise<void> {
  for (const s of served.splice(0)) {
    await s.engine.stop();
    await s.store.close();
  }
}
