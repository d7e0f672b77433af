import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/caddy.js';
import { makeDir } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { serve, until } from '../support/serve-process.js';

const MONITORS = 5;
const CUT_MS = 12_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exit code of `child`, which must end within `ms`; otherwise its last log lines say where it hangs. */
async function exitWithin(child: ReturnType<typeof serve>, ms: number): Promise<number | null> {
  // It may have ended already, while another was waited for: its 'exit' has been emitted.
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const timer = sleep(ms).then(() => {
    throw new Error(`did not exit within ${ms} ms:\n${child.output().split('\n').slice(-15).join('\n')}`);
  });
  return Promise.race([once(child, 'exit').then(([code]) => code as number | null), timer]);
}

/**
 * Two `ploy serve` on one PostgreSQL; the leader's sessions are killed (pg_terminate_backend)
 * again and again for 12 s while the other instance's stay. What must hold: the cut instance
 * stops leading and stops scheduling, the other takes over; no job slot runs twice and every
 * slot is run or recorded; no monitor goes unchecked for more than a moment (the cut instance
 * may check too, while it cannot see who leads); after the cut it follows and stops checking.
 */
describe('one of two instances cut from the store', () => {
  it('hands over: the other leads, no slot runs twice, no monitor goes unchecked', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const checks = new Map<string, number[]>();
    const jobHits = new Map<string, number>();
    const target = http.createServer((req, res) => {
      if (req.url === '/job') {
        const slot = String(req.headers['x-ploy-scheduled-at']);
        jobHits.set(slot, (jobHits.get(slot) ?? 0) + 1);
      } else checks.set(req.url!, [...(checks.get(req.url!) ?? []), Date.now()]);
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const monitors = Array.from(
      { length: MONITORS },
      (_, i) => `kind: Monitor\nname: m-${i}\nhttp: {url: "${base}/m-${i}"}\ninterval: 1s\ntimeout: 2s\n`,
    );
    const cwd = await makeDir({
      'ploy.config.yaml': `source: {path: ./repo}\nstore: {url: embedded}\nlog: {level: ${process.env.DEBUG_FAULTS ? 'debug' : 'info'}}\n`,
      'repo/monitors.yaml': monitors.join('---\n'),
      'repo/jobs.yaml': `kind: Job\nname: tick\nschedule: "@every 1s"\nhttp: {url: "${base}/job"}\ntimeout: 5s\n`,
    });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const leaderPid = async () => {
      const [row] = await sql`select holder from leader`;
      return row?.holder ? Number(String(row.holder).split(':').pop()) : undefined;
    };
    const [portA, portB] = [await freePort(), await freePort()];
    const healthz = async (port: number) =>
      (await (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).json()) as {
        status: string;
        role: string;
        reasons?: string[];
      };
    const a = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: `127.0.0.1:${portA}` });
    let b: ReturnType<typeof serve> | undefined;
    try {
      await until('the first instance to lead', async () => (await leaderPid()) === a.pid, 60_000);
      b = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: `127.0.0.1:${portB}` });
      await until('the second to follow', async () => (await healthz(portB)).role === 'follower', 30_000);
      await until('checks of every monitor', async () => checks.size === MONITORS, 20_000);
      await sleep(2000);

      // The cut: every session of A (named after its host and pid) killed as soon as it appears.
      const cutAt = Date.now();
      let killed = 0;
      while (Date.now() - cutAt < CUT_MS) {
        const rows = await sql`
          select pg_terminate_backend(pid) as done from pg_stat_activity
          where application_name like ${`%:${a.pid}`} and pid <> pg_backend_pid()`;
        killed += rows.filter((r) => r.done).length;
        await sleep(100);
      }
      const healedAt = Date.now();
      expect(await leaderPid(), 'the leader after the cut').toBe(b.pid);
      const bb = b;
      // A sees B holding the lease and follows: it stops checking.
      await until(
        'the cut instance to follow, healthy again',
        async () => {
          const h = await healthz(portA);
          return h.role === 'follower' && h.status === 'ok';
        },
        15_000,
      );
      await sleep(3000);
      bb.kill('SIGTERM');
      a.kill('SIGTERM');
      expect(await exitWithin(bb, 20_000)).toBe(0);
      expect(await exitWithin(a, 20_000)).toBe(0);

      // Monitors: checked all along, by one instance or (during the cut) both.
      let widestGapMs = 0;
      let duplicated = 0;
      for (const [, times] of checks) {
        const window = times.filter((t) => t > cutAt - 3000 && t < healedAt + 3000);
        for (let k = 1; k < window.length; k++) {
          widestGapMs = Math.max(widestGapMs, window[k] - window[k - 1]);
          if (window[k] - window[k - 1] < 500) duplicated++;
        }
      }
      expect(widestGapMs, 'widest gap between two checks of one monitor').toBeLessThan(2500);

      // Jobs: each slot once or recorded as not run, none twice.
      const db = postgres(url, { max: 1, onnotice: () => {} });
      const slots = await db<{ at: Date; status: string; reason: string | null; epoch: string | null }[]>`
        select scheduled_at as at, status, reason, epoch from occurrences where job = 'tick' order by scheduled_at`;
      await db.end();
      const first = slots[0].at.getTime();
      const last = slots[slots.length - 1].at.getTime();
      expect(slots.map((s) => s.at.getTime())).toEqual(
        Array.from({ length: (last - first) / 1000 + 1 }, (_, k) => first + k * 1000),
      );
      expect(
        [...jobHits.entries()].filter(([, n]) => n > 1),
        'slots run twice',
      ).toEqual([]);
      for (const s of slots.filter((s) => s.status !== 'succeeded')) expect(s.reason, s.at.toISOString()).toBeTruthy();
      expect(new Set(slots.map((s) => s.epoch)).size, 'terms that ran jobs').toBeGreaterThanOrEqual(2);
      console.log(
        `store cut for one of two instances (${CUT_MS / 1000} s, ${killed} sessions killed): ` +
          `widest gap between checks ${widestGapMs} ms, ${duplicated} checks made twice during the cut; ` +
          `job slots: ${slots.length} recorded, ${slots.filter((s) => s.status === 'succeeded').length} ran once, 0 twice`,
      );
    } finally {
      if (process.env.DEBUG_FAULTS) {
        console.log(await healthz(portA).catch((e: Error) => e.message));
        console.log(
          a
            .output()
            .split('\n')
            .filter((l) => !l.includes('"level":30'))
            .slice(-40)
            .join('\n'),
        );
      }
      a.kill('SIGKILL');
      b?.kill('SIGKILL');
      target.closeAllConnections();
      target.close();
      await sql.end({ timeout: 1 });
    }
  }, 150_000);
});
