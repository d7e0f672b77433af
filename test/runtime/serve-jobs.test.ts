import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { type RunningEngine, startEngine } from '../../engine/runtime/serve.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { project } from '../cli/fixtures.js';
import { writeFiles } from '../support/cli.js';

let running: { engine: RunningEngine; store: Store } | undefined;
afterEach(async () => {
  await running?.engine.stop();
  await running?.store.close();
  running = undefined;
});

const until = async (what: string, check: () => Promise<boolean>, ms = 8_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const FILES = {
  'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
  'secrets/TOKEN': 'the-token-value\n',
  'repo/jobs.yaml': `kind: Job
name: tick
schedule: "* * * * * *"
shell: {command: 'echo "tick $PLOY_SCHEDULED_AT"; [ "$TOKEN" = the-token-value ] && echo secret-ok', env: {TOKEN: "\${secret:TOKEN}"}}
`,
};

describe('jobs in ploy serve on the embedded store (single instance)', () => {
  it('leads alone, runs a job every second with its secret, and follows a change of the job', async () => {
    const cwd = await project(FILES);
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
    running = { engine, store };
    await until('two runs', async () => (await store.listOccurrences({ job: 'tick', status: 'succeeded' })).length >= 2);
    const [run] = await store.listOccurrences({ job: 'tick', status: 'succeeded', limit: 1 });
    expect(run.output).toBe(`tick ${run.scheduledAt.toISOString()}\nsecret-ok\n`);
    expect(run.scheduledAt.getMilliseconds()).toBe(0);
    expect(engine.scheduler.epoch).toBe((await store.currentLeader()).epoch);

    await writeFiles(cwd, { 'repo/jobs.yaml': FILES['repo/jobs.yaml'].replace('"* * * * * *"', '"@every 1s"\nsuspend: true') });
    await until('a suspended slot', async () =>
      (await store.listOccurrences({ job: 'tick', status: 'skipped' })).some((r) => r.reason === 'suspended'),
    );
  });
});
