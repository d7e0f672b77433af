import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';

const validators = compileKindValidators();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MONITOR = 'kind: Monitor\nname: nightly\npush: {grace: 1h}\n';

const configIn = async (config: string) => {
  const cwd = await makeDir({ 'ploy.config.yaml': config, 'repo/monitors.yaml': MONITOR });
  return { cwd, ...loadConfig({ cwd, env: {}, validator: validators.config }) };
};

describe('monitors.retention in ploy.config.yaml', () => {
  it('defaults to 30 days of raw results, a year of rollups and 256 checks per host', async () => {
    const { config } = await configIn('source: {path: ./repo}\n');
    expect(config?.monitors).toEqual({
      retention: { rawMs: 30 * DAY, rollupsMs: 365 * DAY },
      hostConcurrency: 256,
      rdapUrl: 'https://rdap.org',
    });
  });

  it('reads durations and the per-host limit', async () => {
    const { config, diagnostics } = await configIn(
      'source: {path: ./repo}\nmonitors:\n  retention: {raw: 7d, rollups: 90d}\n  hostConcurrency: 4\n  rdap: {url: "http://127.0.0.1:9/rdap"}\n',
    );
    expect(diagnostics).toEqual([]);
    expect(config?.monitors).toEqual({
      retention: { rawMs: 7 * DAY, rollupsMs: 90 * DAY },
      hostConcurrency: 4,
      rdapUrl: 'http://127.0.0.1:9/rdap',
    });
  });

  it('reports a malformed duration, too short a retention and rollups shorter than raw, with file and line', async () => {
    const bad = await configIn('source: {path: ./repo}\nmonitors:\n  retention:\n    raw: 30 days\n');
    expect(bad.config).toBeUndefined();
    expect(bad.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'ploy.config.yaml', line: 4 })]);

    const short = await configIn('source: {path: ./repo}\nmonitors:\n  retention:\n    raw: 6h\n');
    expect(short.diagnostics).toEqual([
      expect.objectContaining({ file: 'ploy.config.yaml', line: 4, message: expect.stringContaining('at least 1d') }),
    ]);

    const inverted = await configIn('source: {path: ./repo}\nmonitors:\n  retention:\n    raw: 60d\n    rollups: 30d\n');
    expect(inverted.diagnostics).toEqual([
      expect.objectContaining({ file: 'ploy.config.yaml', line: 5, message: expect.stringContaining('shorter than') }),
    ]);
  });
});

let running: { engine: RunningEngine; store: Store } | undefined;
afterEach(async () => {
  await running?.engine.stop();
  await running?.store.close();
  running = undefined;
});

describe('ploy serve with monitors.retention', () => {
  it('prunes raw results and rollups by the configured retention, not the defaults', async () => {
    const { cwd, config } = await configIn(
      'source: {path: ./repo}\nstore: {url: embedded}\napi: {listen: "127.0.0.1:0"}\nmonitors:\n  retention: {raw: 2d, rollups: 3d}\n',
    );
    const dir = join(cwd, '.ploy');
    await seedEmbeddedStore(dir);
    const now = Date.now();
    const at = (ago: number) => new Date(Math.floor((now - ago) / HOUR) * HOUR + 60_000);
    // Results 3.5, 2.5 and 1 day old, rolled up hourly: under the defaults all of them would stay.
    const seeded = await openStore('embedded', { embeddedDir: dir });
    await seeded.recordHeartbeats(
      [3.5 * DAY, 2.5 * DAY, 1 * DAY].map((ago) => ({ monitor: 'nightly', at: at(ago), ok: true, latencyMs: 5 })),
    );
    await seeded.rollUpHeartbeats('hour', new Date(now - 4 * DAY), new Date(now - 12 * HOUR));
    expect(await seeded.listRollups('nightly', 'hour')).toHaveLength(3);
    await seeded.close();

    const store = await openStore('embedded', { embeddedDir: dir });
    const engine = await startEngine(config!, {
      store,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      source: localDriver(config!, { env: {}, validators }),
      version: 'test',
    });
    running = { engine, store };
    const old = async () =>
      (await store.listHeartbeats('nightly', { limit: 100 })).filter((b) => b.at.getTime() < now - 12 * HOUR);
    const end = Date.now() + 10_000;
    while ((await old()).length > 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));

    expect((await old()).map((b) => b.at)).toEqual([at(1 * DAY)]);
    const rollups = (await store.listRollups('nightly', 'hour')).map((r) => r.bucketStart.getTime()).sort();
    expect(rollups).toEqual([Math.floor((now - 2.5 * DAY) / HOUR) * HOUR, Math.floor((now - DAY) / HOUR) * HOUR]);
  }, 30_000);
});
