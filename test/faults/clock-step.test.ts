import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { makeDir } from '../support/cli.js';
import { serve, until } from '../support/serve-process.js';

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The wall clock of a running `ploy serve` steps forward 10 minutes, then back 5 (NTP catching
 * up after a suspend, then correcting), through a preloaded Date (test/support/clock-offset.cjs).
 * What must hold: no job slot runs twice; the slots jumped over are recorded, none silently
 * absent; monitors keep their interval in real time through both steps.
 */
describe('clock steps', () => {
  it('forward 10 minutes and back 5: no slot twice, skipped slots recorded, monitors on schedule', async () => {
    const jobHits = new Map<string, number>();
    const checks: number[] = [];
    const target = http.createServer((req, res) => {
      if (req.url === '/job') {
        const slot = String(req.headers['x-ploy-scheduled-at']);
        jobHits.set(slot, (jobHits.get(slot) ?? 0) + 1);
      } else checks.push(Date.now());
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\napi: {listen: "127.0.0.1:0"}\nlog: {level: info}\n',
      'repo/all.yaml': [
        // Every run kept, so every slot can be counted.
        `kind: Job\nname: tick\nschedule: "* * * * * *"\nhttp: {url: "${base}/job"}\ntimeout: 5s\nhistory: {keep: 5000}\n`,
        `kind: Monitor\nname: web\nhttp: {url: "${base}/web"}\ninterval: 1s\ntimeout: 2s\n`,
      ].join('---\n'),
    });
    const offsetFile = join(cwd, 'clock-offset');
    writeFileSync(offsetFile, '0');
    const engine = serve(cwd, {
      NODE_OPTIONS: `--require ${join(import.meta.dirname, '../support/clock-offset.cjs')}`,
      PLOY_TEST_CLOCK_OFFSET_FILE: offsetFile,
    });
    const step = (offsetMs: number) => {
      writeFileSync(offsetFile, String(offsetMs));
      engine.kill('SIGUSR2');
    };
    try {
      await until('job runs', async () => jobHits.size >= 3, 60_000);
      const firstRunAt = Date.now() - 3000;
      await until('checks', async () => checks.length >= 3, 20_000);
      const forwardAt = Date.now();
      step(10 * MINUTE);
      await sleep(5000);
      const backAt = Date.now();
      step(5 * MINUTE);
      await sleep(8000);
      const stopAt = Date.now();
      engine.kill('SIGTERM');
      expect((await once(engine, 'exit'))[0]).toBe(0);

      // Monitors: checked every second of real time, through both steps.
      const during = checks.filter((t) => t > forwardAt - 3000);
      let widestGapMs = 0;
      for (let k = 1; k < during.length; k++) widestGapMs = Math.max(widestGapMs, during[k] - during[k - 1]);
      expect(widestGapMs, 'widest gap between two checks').toBeLessThan(2500);

      // Jobs: no slot twice; every slot from the first to the last is recorded (run or skipped).
      expect(
        [...jobHits.entries()].filter(([, n]) => n > 1),
        'slots run twice',
      ).toEqual([]);
      const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
      try {
        const runs = (await store.listOccurrences({ job: 'tick', limit: 10_000 })).sort(
          (a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime(),
        );
        const times = runs.map((r) => r.scheduledAt.getTime());
        expect(new Set(times).size, 'one row per slot').toBe(times.length);
        const first = times[0];
        const last = times[times.length - 1];
        const recorded = new Set(times);
        const absent = [];
        for (let t = first; t <= last; t += 1000) if (!recorded.has(t)) absent.push(new Date(t).toISOString());
        expect(absent.length, `slots neither run nor recorded (first: ${absent.slice(0, 3).join(', ')})`).toBe(0);
        const ran = runs.filter((r) => r.status === 'succeeded').length;
        const missed = runs.filter((r) => r.status === 'skipped');
        for (const r of missed) expect(r.reason, r.scheduledAt.toISOString()).toMatch(/missed/);
        // The 10 minutes jumped over are missed (missed.policy: skip), not run in a burst: at
        // most one run per second of real time.
        const realSeconds = Math.ceil((stopAt - firstRunAt) / 1000);
        expect(ran, `runs in ${realSeconds} s of real time`).toBeLessThanOrEqual(realSeconds + 1);
        expect(missed.length, 'slots jumped over, recorded as missed').toBeGreaterThanOrEqual(590);
        const events = await store.listEvents({ type: 'job.missed' });
        expect(events.length, 'job.missed raised').toBeGreaterThan(0);
        // After the step back, the slots already taken are not run again: runs resume past them.
        console.log(
          `clock steps (+10 min, then -5 min): ${runs.length} slots recorded, ${ran} ran, ${missed.length} recorded as missed, ` +
            `0 twice; widest gap between monitor checks ${widestGapMs} ms (back step ${Math.round((backAt - forwardAt) / 1000)} s after the forward one)`,
        );
      } finally {
        await store.close();
      }
    } finally {
      engine.kill('SIGKILL');
      target.closeAllConnections();
      target.close();
    }
  }, 120_000);
});
