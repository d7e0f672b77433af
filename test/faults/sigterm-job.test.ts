import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { makeDir } from '../support/cli.js';
import { serve, until } from '../support/serve-process.js';

/** What docs/reliability.md promises: a stop is clean within this, a running job included. */
const STOP_DEADLINE_MS = 10_000;

/** The processes whose command line holds `marker`. */
const processesWith = (marker: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

describe('SIGTERM while a job runs', () => {
  it('stops within its deadline, ends the job and everything it started, and records the run as interrupted', async () => {
    // A unique sleep, so this test finds its own processes and no one else's.
    const marker = `sleep 3${process.pid % 1000}.5`;
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\napi: {listen: "127.0.0.1:0"}\nlog: {level: info}\n',
      'repo/jobs.yaml': `kind: Job\nname: long\nschedule: "@every 1s"\nconcurrency: forbid\nshell: {command: "echo started; ${marker}; echo never"}\n`,
    });
    const engine = serve(cwd, {});
    try {
      await until('the job to be running', async () => processesWith(marker).length > 0, 60_000);
      const stopAt = Date.now();
      engine.kill('SIGTERM');
      const [code] = await once(engine, 'exit');
      const stoppedIn = Date.now() - stopAt;
      expect(code).toBe(0);
      expect(stoppedIn).toBeLessThan(STOP_DEADLINE_MS);
      expect(processesWith(marker), 'processes the job started, still alive').toEqual([]);

      const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
      try {
        const runs = await store.listOccurrences({ job: 'long' });
        const cut = runs.filter((r) => r.output?.includes('started'));
        expect(cut.length).toBeGreaterThan(0);
        for (const r of cut) {
          expect(r.status).toBe('interrupted');
          expect(r.reason).toMatch(/the engine stopped while it ran/);
          expect(r.output).not.toContain('never');
        }
        expect(
          runs.filter((r) => r.status === 'running'),
          'runs left running',
        ).toEqual([]);
        console.log(`SIGTERM during a job run: stopped in ${stoppedIn} ms; ${cut.length} run recorded interrupted`);
      } finally {
        await store.close();
      }
    } finally {
      engine.kill('SIGKILL');
    }
  }, 90_000);
});
