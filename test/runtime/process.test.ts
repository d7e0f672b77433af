import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { makeDir, ploy } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { project } from '../cli/fixtures.js';

const BIN = join(import.meta.dirname, '../../bin/ploy.js');

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  return port;
}

/** `ploy serve` as a real process (the compiled CLI: npm test builds it first). */
function serve(cwd: string, env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

async function until<T>(check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<{ sync: string }>;

function monitors(n: number): Record<string, string> {
  const files: Record<string, string> = { 'ploy.config.yaml': 'source: {path: ./repo}\n' };
  for (let f = 0; f < n / 50; f++) {
    files[`repo/m${f}.yaml`] = Array.from(
      { length: 50 },
      (_, i) => `kind: Monitor\nname: m-${f}-${i}\ntcp: {host: 127.0.0.1, port: ${1000 + i}}\n`,
    ).join('---\n');
  }
  return files;
}

describe('the ploy serve process', () => {
  it('converges after kill -9 in the middle of an apply, with nothing lost or duplicated', async (ctx) => {
    requirePostgres(ctx);
    const url = await freshDatabase();
    const cwd = await makeDir(monitors(1500));
    const port = await freePort();
    const env = { DATABASE_URL: url, PLOY_API_LISTEN: `127.0.0.1:${port}` };
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const first = serve(cwd, env);
      await until(async () => Number((await sql`select count(*) from change_results`)[0].count) > 100);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const [{ count: partial }] = await sql`select count(*) from applied_resources`;
      expect(Number(partial)).toBeGreaterThan(0);
      expect(Number(partial)).toBeLessThan(1500);

      const second = serve(cwd, env);
      await until(async () => (await health(port)).sync === 'applied');
      second.kill('SIGTERM');
      expect((await once(second, 'exit'))[0]).toBe(0);
      expect(second.output()).toContain('applies cut short by a crash were marked interrupted');

      const [{ count: applied }] = await sql`select count(*) from applied_resources`;
      expect(Number(applied)).toBe(1500);
      const dupes =
        await sql`select kind, name from change_results where status = 'succeeded' group by kind, name having count(*) > 1`;
      expect(dupes).toEqual([]);
      const applies = await sql`select status from applies order by id`;
      expect(applies.map((a) => a.status)).toEqual(['interrupted', 'succeeded']);
      expect((await ploy(['plan', '--detailed-exitcode'], { cwd, env: { DATABASE_URL: url } })).code).toBe(0);
    } finally {
      await sql.end();
    }
  }, 120_000);

  it('makes CLI commands fail at once, naming the serving process, while it holds the embedded store', async () => {
    const cwd = await project();
    const port = await freePort();
    const child = serve(cwd, { PLOY_API_LISTEN: `127.0.0.1:${port}` });
    try {
      await until(async () => (await health(port)).sync === 'applied');
      const started = Date.now();
      const r = await ploy(['plan'], { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`is in use by process ${child.pid}`);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      child.kill('SIGTERM');
      expect((await once(child, 'exit'))[0]).toBe(0);
    }
    expect((await ploy(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);
  }, 60_000);
});
