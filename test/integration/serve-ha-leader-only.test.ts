import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { pushToken } from '../../engine/runtime/monitors/push-token.js';
import { makeDir, writeFiles } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { serve, until } from '../support/serve-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free now, so each instance's /healthz and /push can be called. */
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('two ploy serve instances on one PostgreSQL: only the leader acts', () => {
  it('only the leader applies and checks monitors; a follower takes pushes; after a SIGKILL the other does both', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    // The monitor's target: when each check arrived.
    const checks: number[] = [];
    const target = http.createServer((_req, res) => {
      checks.push(Date.now());
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const monitors = `kind: Monitor\nname: web\nhttp: {url: "${base}/web"}\ninterval: 1s\ntimeout: 1s\n---\nkind: Monitor\nname: beat\npush: {grace: 1h}\ninterval: 1s\n`;
    const cwd = await makeDir({
      'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nlog: {level: info}\n',
      'repo/monitors.yaml': monitors,
    });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const leaderPid = async () => {
      const [row] = await sql`select holder from leader`;
      return row?.holder ? Number(String(row.holder).split(':').pop()) : undefined;
    };
    /** Checks of `web` that arrived in the next `ms`. */
    const checksDuring = async (ms: number) => {
      const from = Date.now();
      await sleep(ms);
      return checks.filter((t) => t >= from && t < from + ms).length;
    };
    const [portA, portB] = [await freePort(), await freePort()];
    const a = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: `127.0.0.1:${portA}` });
    let b: (ChildProcess & { output: () => string }) | undefined;
    try {
      await until('the first instance to lead', async () => (await leaderPid()) === a.pid);
      await until('the leader to apply the monitors', async () => checks.length > 0);
      b = serve(cwd, { DATABASE_URL: url, PLOY_API_LISTEN: `127.0.0.1:${portB}` });
      await until('the second instance to serve', async () => (await get(`http://127.0.0.1:${portB}/healthz`)).status === 200);
      expect((await get(`http://127.0.0.1:${portA}/healthz`)).body.role).toBe('leader');
      expect((await get(`http://127.0.0.1:${portB}/healthz`)).body.role).toBe('follower');

      // One instance checks a 1 s monitor: about 4 checks in 4 s, where two would make about 8.
      const n = await checksDuring(4000);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);

      // A change to the source: both instances see the file change, only the leader applies it.
      const applies = (out: string) => out.split('"msg":"applied"').length - 1;
      const appliedByA = applies(a.output());
      await writeFiles(cwd, { 'repo/monitors.yaml': monitors.replace('/web"', '/web?v=2"') });
      await until('the leader to apply the change', async () => applies(a.output()) > appliedByA);
      await sleep(1500);
      expect(b.output()).not.toContain('"msg":"applied"');
      expect(b.output()).not.toContain('"msg":"plan recorded');

      // A push reaches the follower: accepted and stored, where the leader's push check reads it.
      const store = await openStore(url, { embeddedDir: cwd });
      const token = pushToken(await store.secretKey(), 'beat');
      await store.close();
      const push = await fetch(`http://127.0.0.1:${portB}/push/beat?token=${token}`, { method: 'POST' });
      expect(push.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${portB}/push/beat?token=wrong`)).status).toBe(404);
      await until('the leader to see the push', async () => {
        const [row] = await sql`select state, last_push_at from monitor_state where monitor = 'beat'`;
        return row?.last_push_at && row.state === 'up';
      });

      // The leader dies: the follower takes over both applying and checking.
      a.kill('SIGKILL');
      await once(a, 'exit');
      await until('the second instance to take over', async () => (await leaderPid()) === b!.pid);
      await until(
        'the new leader to say so',
        async () => (await get(`http://127.0.0.1:${portB}/healthz`)).body.role === 'leader',
      );
      await until('the new leader to reconcile', async () => b!.output().includes('leading: this instance reconciles'));
      const after = await checksDuring(4000);
      expect(after).toBeGreaterThanOrEqual(2);
      expect(after).toBeLessThanOrEqual(5);
      const appliedByB = applies(b.output());
      await writeFiles(cwd, { 'repo/monitors.yaml': monitors.replace('/web"', '/web?v=3"') });
      await until('the new leader to apply a change', async () => applies(b!.output()) > appliedByB);

      b.kill('SIGTERM');
      expect((await once(b, 'exit'))[0]).toBe(0);
    } finally {
      a.kill('SIGKILL');
      b?.kill('SIGKILL');
      target.closeAllConnections();
      target.close();
      await sql.end();
    }
  }, 90_000);
});
