import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { LEADER_LOCK_KEY, postgresLeadership } from '../../engine/adapters/store/pg-leadership.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import type { Leadership } from '../../engine/ports/leadership.js';
import type { Store } from '../../engine/ports/store.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 8_000,
): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One candidate: a leadership over its own store, with what it was told. */
async function candidate(url: string, holder: string) {
  const store: Store = await openStore(url, { embeddedDir: '/nonexistent' });
  const seen: { elected: number[]; deposed: string[] } = { elected: [], deposed: [] };
  const leadership: Leadership = postgresLeadership({
    url,
    holder,
    store,
    clock: systemClock,
    checkEveryMs: 100,
    retryEveryMs: 100,
  });
  leadership.start({ onElected: (e) => seen.elected.push(e), onDeposed: (r) => seen.deposed.push(r) });
  cleanup.push(
    () => store.close(),
    () => leadership.stop(),
  );
  return { store, seen, leadership };
}

describe('leader election on PostgreSQL (advisory lock on a dedicated connection, epoch fencing)', () => {
  it('elects one leader; when its connection drops it is deposed, the other takes over with a new epoch, and the old epoch is refused', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const a = await candidate(url, 'a');
    await until('a to lead', () => a.seen.elected.length === 1);
    const b = await candidate(url, 'b');
    await new Promise((r) => setTimeout(r, 400));
    expect(b.seen.elected).toEqual([]);
    const first = a.seen.elected[0];
    expect(await a.store.currentLeader()).toMatchObject({ epoch: first, holder: 'a' });

    // Cut a's lock connection from the server side, as a network failure or a killed backend would.
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    cleanup.push(() => admin.end());
    const [holder] = await admin.unsafe<{ pid: number }[]>(
      `select pid from pg_locks where locktype = 'advisory' and objsubid = 1 and granted
         and ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [LEADER_LOCK_KEY],
    );
    await admin.unsafe('select pg_terminate_backend($1)', [holder.pid]);

    await until('a to be deposed', () => a.seen.deposed.length >= 1);
    await until('b to lead', () => b.seen.elected.length === 1);
    const second = b.seen.elected[0];
    expect(second).toBeGreaterThan(first);
    expect((await b.store.currentLeader()).holder).toBe('b');
    // A stale leader's claims are refused by the SQL itself.
    const claim = {
      job: 'j',
      scheduledAt: new Date('2026-01-01T00:00:00Z'),
      trigger: 'schedule' as const,
      startedAt: new Date(),
    };
    expect(await a.store.claimOccurrence({ ...claim, epoch: first })).toEqual({ refused: 'stale-epoch' });
    expect('claimed' in (await b.store.claimOccurrence({ ...claim, epoch: second }))).toBe(true);
  });

  it('hands over at once when the leader stops', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const a = await candidate(url, 'a');
    await until('a to lead', () => a.seen.elected.length === 1);
    const b = await candidate(url, 'b');
    const stopped = Date.now();
    await a.leadership.stop();
    expect(a.seen.deposed).toEqual(['stopping']);
    await until('b to lead', () => b.seen.elected.length === 1);
    expect(Date.now() - stopped).toBeLessThan(2000);
  });
});
