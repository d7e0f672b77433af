import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayOpenEmbeddedStore } from '../../engine/root/prestart.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';
import { BASIC, project } from './fixtures.js';

const BIN = join(import.meta.dirname, '../../bin/ploy.js');

/** The published `ploy` as a user runs it (the compiled CLI: npm test builds it first). */
function ploy(cwd: string, args: string[], env: Record<string, string> = {}, timeout = 60_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///run/ploy-test-no-docker.sock', ...env },
    encoding: 'utf8',
    timeout,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('the ploy binary', () => {
  // bin/ploy.js starts the embedded store's thread before the CLI loads, on a guess from the
  // command line; these check that a right guess and a wrong one both end in the same result.
  it('applies and then plans no changes on the embedded store', async () => {
    const dir = await project();
    expect(ploy(dir, ['apply', '--auto-approve']).code).toBe(0);
    const plan = ploy(dir, ['plan', '--detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes');
    // The config named from elsewhere, both ways the parser takes an option's value.
    for (const flag of [['--config', join(dir, 'ploy.config.yaml')], [`--config=${join(dir, 'ploy.config.yaml')}`]]) {
      expect(ploy(tmpdir(), ['plan', '--detailed-exitcode', ...flag]).code).toBe(0);
    }
  });

  it('applies and plans on a PostgreSQL store the config names, and exits when done', async (ctx) => {
    requirePostgres(ctx);
    const dir = await project();
    await writeFile(
      join(dir, 'ploy.config.yaml'),
      BASIC['ploy.config.yaml'].replace('{url: embedded}', `{url: "${await freshDatabase()}"}`),
    );
    expect(ploy(dir, ['apply', '--auto-approve']).code).toBe(0);
    const plan = ploy(dir, ['plan', '--detailed-exitcode', '--format', 'json']);
    expect(plan.signal).toBeNull(); // not killed by the timeout: nothing kept the process alive
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('ends at once when a plan never opens the store it started a thread for', async () => {
    const dir = await project();
    const help = ploy(dir, ['plan', '--help'], {}, 20_000);
    expect(help.signal).toBeNull(); // not killed by the timeout
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--detailed-exitcode');
    const wrong = ploy(dir, ['plan', '--head', 'main'], {}, 20_000);
    expect(wrong.signal).toBeNull();
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--head needs --base');
  });

  it('keeps its exit code, and prints no error, when the reader closes the pipe early', async () => {
    // `ploy plan --format json | head -c 1`: the plan goes on to its end and its exit code.
    // Its output must outgrow the pipe's buffer (64 KiB) for the closed pipe to be noticed.
    const many = Array.from(
      { length: 300 },
      (_, i) => `kind: Monitor\nname: m-${i}\ntcp: {host: 127.0.0.1, port: ${1000 + i}}\n`,
    );
    const dir = await project({ ...BASIC, 'repo/many.yaml': many.join('---\n') });
    const pipeline =
      '"$NODE" "$BIN" plan --format json --detailed-exitcode 2>stderr.txt | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}';
    const r = spawnSync('bash', ['-c', pipeline], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE: process.execPath, BIN, DOCKER_HOST: 'unix:///run/ploy-test-no-docker.sock' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(await readFile(join(dir, 'stderr.txt'), 'utf8')).toBe('');
    expect(r.stdout.trim()).toBe('2'); // the project's resources are not applied yet: changes
  });

  it('guesses the embedded store only for plan and apply, and not when the environment names PostgreSQL', () => {
    const none = {};
    expect(mayOpenEmbeddedStore(['plan'], none)).toBe(true);
    expect(mayOpenEmbeddedStore(['apply', 'plan.json'], none)).toBe(true);
    expect(mayOpenEmbeddedStore(['plan', '--base', 'main'], none)).toBe(false);
    expect(mayOpenEmbeddedStore(['plan', '--base=main'], none)).toBe(false);
    expect(mayOpenEmbeddedStore(['validate'], none)).toBe(false);
    expect(mayOpenEmbeddedStore(['plan'], { DATABASE_URL: 'postgres://db/ploy' })).toBe(false);
    expect(mayOpenEmbeddedStore(['plan'], { PLOY_STORE_URL: 'embedded', DATABASE_URL: 'postgres://db/ploy' })).toBe(true);
  });
});
