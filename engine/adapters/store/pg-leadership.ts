import postgres from 'postgres';
import type { Clock } from '../../ports/clock.js';
import type { JobStore } from '../../ports/job-store.js';
import type { Leadership, LeadershipHandlers } from '../../ports/leadership.js';
import { MIGRATION_LOCK_KEY } from './migrations.js';

/**
 * The session advisory lock whose holder leads. A different key from migrate()'s
 * (transaction-scoped, MIGRATION_LOCK_KEY): 'ploy' then 'L' 'D'.
 */
export const LEADER_LOCK_KEY = 0x706c6f79_4c44;
/** The two keys are distinct; the compiler checks it from their literal types. */
export const LOCK_KEYS_DIFFER: typeof LEADER_LOCK_KEY extends typeof MIGRATION_LOCK_KEY ? never : true = true;

export interface PostgresLeadershipOptions {
  url: string;
  /** Who leads, as shown in the `leader` table (host and pid). */
  holder: string;
  store: JobStore;
  clock: Clock;
  /** How often the leader checks that it still holds the lock on a live connection. */
  checkEveryMs?: number;
  /** How often a follower tries to take the lock. */
  retryEveryMs?: number;
  log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
}

// Which session holds the lock, asked on the lock's own connection: false when postgres.js has
// quietly reconnected (the new session holds nothing) or another instance holds it.
const HOLDS = `select exists (
  select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 1 and pid = pg_backend_pid()
    and ((classid::bigint << 32) | objid::bigint) = $1::bigint
) as held, (select epoch from leader where id) as epoch`;

/**
 * Leader election over PostgreSQL: a session advisory lock held on a connection of its own
 * (outside the store's pool, never recycled: no idle timeout, no lifetime limit). Winning it
 * takes a new epoch. The leader asks every `checkEveryMs` whether its session still holds the
 * lock; an error, a slow answer or a no ends its leadership at once. The server releases the
 * lock when the session ends (process killed, connection dropped), so a follower takes over
 * within about `retryEveryMs`; claims of the old leader carry the old epoch and are refused.
 */
export function postgresLeadership(opts: PostgresLeadershipOptions): Leadership {
  const checkEvery = opts.checkEveryMs ?? 1_000;
  const retryEvery = opts.retryEveryMs ?? 1_000;
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  const connect = () =>
    postgres(opts.url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: 0,
      keep_alive: 5,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: `ploy-leader ${opts.holder}`.slice(0, 63) },
    });

  const pause = (ms: number) => opts.clock.sleep(ms, stopping.signal).catch(() => {});
  const withDeadline = <T>(p: Promise<T>, ms: number): Promise<T> =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
    ]);

  async function campaign(h: LeadershipHandlers): Promise<void> {
    while (!stopping.signal.aborted) {
      const sql = connect();
      let epoch: number | undefined;
      try {
        // A follower keeps asking on the same connection; any error starts over on a new one.
        while (!stopping.signal.aborted) {
          const [won] = await sql.unsafe<{ ok: boolean }[]>('select pg_try_advisory_lock($1::bigint) as ok', [LEADER_LOCK_KEY]);
          if (won?.ok) break;
          h.onFollowing?.();
          await pause(retryEvery);
        }
        if (!stopping.signal.aborted) {
          ({ epoch } = await opts.store.takeLeadership(opts.holder, opts.clock.now()));
          opts.log?.info({ epoch, holder: opts.holder }, 'elected leader: this instance schedules jobs');
          h.onElected(epoch);
          while (!stopping.signal.aborted) {
            await pause(checkEvery);
            if (stopping.signal.aborted) break;
            const [row] = await withDeadline(
              sql.unsafe<{ held: boolean; epoch: string }[]>(HOLDS, [LEADER_LOCK_KEY]),
              3 * checkEvery,
            );
            if (!row?.held) throw new Error('the leader lock is no longer held by this session');
            if (Number(row.epoch) !== epoch) throw new Error(`another instance took over (epoch ${row.epoch})`);
          }
        }
      } catch (err) {
        if (epoch !== undefined) {
          const reason = err instanceof Error ? err.message : String(err);
          opts.log?.warn({ epoch, reason }, 'lost leadership: scheduling stops');
          h.onDeposed(reason);
          epoch = undefined;
        }
      } finally {
        // Ending the session releases the lock; a stopping leader hands over at once.
        if (epoch !== undefined) h.onDeposed('stopping');
        await sql.end({ timeout: 1 }).catch(() => {});
      }
      await pause(retryEvery);
    }
  }

  return {
    start(h) {
      loop ??= campaign(h);
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
