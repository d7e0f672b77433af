import { serveInProcess, stopServed } from '../support/serve-in-process.js';
import { afterEach, describe, expect, it } from 'vitest';
import { project } from '../cli/fixtures.js';
import { writeFiles } from '../support/cli.js';

afterEach(stopServed);

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
    const { engine, store } = await serveInProcess(cwd);
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
