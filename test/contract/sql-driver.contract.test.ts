import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import { storeTargets } from '../support/store-targets.js';

// The SqlDriver both stores stand on. On PGlite every statement crosses to the store's own
// thread and back, so what must survive the crossing is checked here: results, errors with
// their SQLSTATE, and transactions that commit, roll back and nest.
describe.each(storeTargets('ploy-driver-contract'))('the $name driver', (target) => {
  let driver: SqlDriver;

  beforeAll(async () => {
    if (target.unavailable) return;
    const where = await target.fresh();
    driver = await openDriver(where.url, where);
    await driver.exec('create table notes (id int primary key, body text, at timestamptz, tags text[])');
  });
  afterAll(async () => {
    await driver?.close();
  });
  beforeEach(async (ctx) => {
    if (target.unavailable) ctx.skip(target.unavailable);
    await driver.exec('delete from notes');
  });

  const ids = async (d: SqlDriver = driver) =>
    (await d.query<{ id: number }>('select id from notes order by id')).map((r) => Number(r.id));

  it('returns rows with their types: dates, arrays, jsonb, nulls', async () => {
    const at = new Date('2026-12-06T05:00:00.000Z');
    await driver.query('insert into notes values ($1, $2, $3, $4::text[])', [1, undefined, at, ['a', 'b']]);
    const [row] = await driver.query<{ id: number; body: unknown; at: Date; tags: string[]; j: unknown }>(
      `select id, body, at, tags, '{"k":[1,2]}'::jsonb as j from notes`,
    );
    expect(row).toEqual({ id: 1, body: null, at, tags: ['a', 'b'], j: { k: [1, 2] } });
  });

  it('rejects a failing statement with the database message and SQLSTATE, and goes on working', async () => {
    const err = (await driver.query('select * from no_such_table').catch((e: unknown) => e)) as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('no_such_table');
    expect(err.code).toBe('42P01');
    await driver.query('insert into notes (id) values (1)');
    const dup = (await driver.query('insert into notes (id) values (1)').catch((e: unknown) => e)) as { code?: string };
    expect(dup.code).toBe('23505');
    expect(await ids()).toEqual([1]);
  });

  it('commits a transaction that resolves and returns its value', async () => {
    const value = await driver.transaction(async (tx) => {
      await tx.query('insert into notes (id) values (1)');
      await tx.query('insert into notes (id) values (2)');
      return ids(tx);
    });
    expect(value).toEqual([1, 2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back a transaction that throws, and rethrows that same error', async () => {
    const mine = new Error('changed my mind');
    const err = await driver
      .transaction(async (tx) => {
        await tx.query('insert into notes (id) values (1)');
        throw mine;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(mine);
    expect(await ids()).toEqual([]);
  });

  it('rolls back a transaction whose statement failed', async () => {
    const err = await driver
      .transaction(async (tx) => {
        await tx.query('insert into notes (id) values (1)');
        await tx.query('insert into notes (id) values (1)');
      })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('23505');
    expect(await ids()).toEqual([]);
  });

  it('nests a transaction as a savepoint: the inner one rolls back alone', async () => {
    await driver.transaction(async (tx) => {
      await tx.query('insert into notes (id) values (1)');
      await tx
        .transaction(async (inner) => {
          await inner.query('insert into notes (id) values (2)');
          throw new Error('inner fails');
        })
        .catch(() => undefined);
      await tx.transaction((inner) => inner.query('insert into notes (id) values (3)'));
    });
    expect(await ids()).toEqual([1, 3]);
  });

  it('runs transactions asked for at once one after the other, each whole', async () => {
    await Promise.all(
      [1, 2, 3].map((n) =>
        driver.transaction(async (tx) => {
          const [{ c }] = await tx.query<{ c: number }>('select count(*)::int as c from notes');
          await tx.query('insert into notes (id, body) values ($1, $2)', [n, String(c)]);
        }),
      ),
    );
    expect(await ids()).toEqual([1, 2, 3]);
  });
});

describe('the embedded store thread', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-driver-thread-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('answers a closed store with an error, and closes twice without one', async () => {
    const driver = await openDriver('embedded', { embeddedDir: path.join(tmp, 'closed') });
    await driver.close();
    await expect(driver.query('select 1')).rejects.toThrow(/ended|closed/);
    await driver.close();
  });

  it('keeps what a brief (CLI) open wrote for the long-running engine, and the other way round', async () => {
    // A CLI command opens with a small buffer pool and `ploy serve` with a larger one: both
    // are the same data directory, and neither may lose what the other committed.
    const embeddedDir = path.join(tmp, 'brief');
    const brief = await openDriver('embedded', { embeddedDir, brief: true });
    await brief.exec('create table notes (id int primary key, body text)');
    await brief.query('insert into notes values (1, $1)', ['x'.repeat(100_000)]);
    await brief.close();
    const served = await openDriver('embedded', { embeddedDir });
    expect(await served.query('select length(body) as n from notes')).toEqual([{ n: 100_000 }]);
    await served.query("insert into notes values (2, 'served')");
    await served.close();
    const again = await openDriver('embedded', { embeddedDir, brief: true });
    expect(await again.query('select id from notes order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    await again.close();
  });

  /**
   * Runs, in a new Node process, `then` on a store opened in `dir` (as `d`); returns its stdout.
   * The built driver is used: the embedded store's thread runs its compiled script.
   */
  function inProcess(dir: string, then: string, timeout = 60_000): string {
    const openStore = path.resolve('dist/engine/adapters/store/open-store.js');
    const script = path.join(tmp, `${dir}.mjs`);
    fs.writeFileSync(
      script,
      `const { openDriver } = await import(${JSON.stringify(openStore)});
      const d = await openDriver('embedded', { embeddedDir: ${JSON.stringify(path.join(tmp, dir))} });
      const [r] = await d.query('select 41 + 1 as n');
      ${then}`,
    );
    return execFileSync(process.execPath, [script], { encoding: 'utf8', timeout });
  }

  it('gives back the memory of creating a new store before the engine goes on with it', () => {
    // PGlite creates a data dir with a second instance (initdb); the thread that did that kept
    // ~0.5 GB for as long as `ploy serve` ran (~690 MB resident, ~165 MB on an existing store).
    const out = JSON.parse(
      inProcess(
        'created',
        `console.log(JSON.stringify({ n: r.n, rssMb: process.memoryUsage().rss / 2 ** 20 })); await d.close();`,
        120_000,
      ),
    );
    expect(out.n).toBe(42);
    expect(out.rssMb).toBeLessThan(500);
  });

  it('does not keep a process alive once its statements are answered', () => {
    // A CLI process that forgets to close still ends; one waiting on a statement does not end early.
    expect(inProcess('alive', 'console.log(r.n);').trim()).toBe('42');
  });
});
