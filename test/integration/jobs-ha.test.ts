import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { makeDir } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { serve, until } from '../support/serve-process.js';

const JOBS = 20;
/** Seconds of scheduling before and after the leader is killed (PLOY_HA_SECONDS=30 for the full run). */
const HALF = Math.max(2, Number(process.env.PLOY_HA_SECONDS ?? 8) / 2);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two ploy serve instances on one PostgreSQL', () => {
  it(`run ${JOBS} jobs every second exactly once per slot across a SIGKILL of the leader`, async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    // The jobs' target: counts each (job, scheduled time) it is asked for.
    const hits = new Map<string, number>();
    const target = http.createServer((req, res) => {
      const key = `${req.headers['x-ploy-job']}@${req.headers['x-ploy-scheduled-at']}`;
      hits.set(key, (hits.get(key) ?? 0) + 1);
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/run`;
    const jobs = Array.from(
      { length: JOBS },
      (_, i) => `kind: Job\nname: tick-${i}\nschedule: "@every 1s"\nhttp: {url: "${targetUrl}"}\ntimeout: 5s\n`,
    );
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nlog: {level: info}\n',
      'repo/jobs.yaml': jobs.join('---\n'),
    });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const leaderPid = async () => {
      const [row] = await sql`select holder from leader`;
      return row?.holder ? Number(String(row.holder).split(':').pop()) : undefined;
    };
    const a = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: '127.0.0.1:0' });
    let b: (ChildProcess & { output: () => string }) | undefined;
    try {
      await until('the first instance to lead', async () => (await leaderPid()) === a.pid);
      b = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: '127.0.0.1:0' });
      await until('runs to be recorded', async () => Number((await sql`select count(*) from occurrences`)[0].count) > JOBS);
      await sleep(HALF * 1000);
      a.kill('SIGKILL');
      await once(a, 'exit');
      const killedAt = Date.now();
      await until('the second instance to take over', async () => (await leaderPid()) === b!.pid);
      const takeover = Date.now() - killedAt;
      await sleep(HALF * 1000);
      b.kill('SIGTERM');
      expect((await once(b, 'exit'))[0]).toBe(0);

      const rows = await sql<{ job: string; at: Date; status: string; reason: string | null; epoch: string | null }[]>`
        select job, scheduled_at as at, status, reason, epoch from occurrences order by job, scheduled_at`;
      const [{ epoch }] = await sql`select epoch from leader`;
      // Every slot of every job from its first recorded slot to its last has exactly one row...
      let ran = 0;
      let missed = 0;
      for (let i = 0; i < JOBS; i++) {
        const mine = rows.filter((r) => r.job === `tick-${i}`);
        const first = mine[0].at.getTime();
        const last = mine[mine.length - 1].at.getTime();
        expect(mine.map((r) => r.at.getTime())).toEqual(
          Array.from({ length: (last - first) / 1000 + 1 }, (_, k) => first + k * 1000),
        );
        for (const r of mine) {
          const key = `${r.job}@${r.at.toISOString()}`;
          const n = hits.get(key) ?? 0;
          // ...it ran exactly once, or did not run and says why (missed during the failover,
          // or interrupted when its leader died mid-request: then at most once).
          if (r.status === 'succeeded') {
            expect(n, key).toBe(1);
            ran++;
          } else {
            expect(['skipped', 'interrupted'], `${key} ${r.status}`).toContain(r.status);
            expect(r.reason, key).toBeTruthy();
            expect(n, key).toBeLessThanOrEqual(1);
            missed++;
          }
        }
      }
      // ...and no slot anywhere was requested twice.
      expect([...hits.entries()].filter(([, n]) => n > 1)).toEqual([]);
      expect(Number(epoch)).toBe(2);
      expect(new Set(rows.map((r) => r.epoch))).toEqual(new Set(['1', '2']));
      console.log(
        `HA: ${rows.length} slots (${ran} ran once, ${missed} recorded as not run with a reason), takeover ${takeover} ms after SIGKILL`,
      );
    } finally {
      a.kill('SIGKILL');
      b?.kill('SIGKILL');
      target.closeAllConnections();
      target.close();
      await sql.end();
    }
  }, 60_000);
});
