import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

/** A throwaway PostgreSQL server started from initdb in a temp dir. */
export interface TempPostgres {
  /** Superuser URL of the `postgres` database (trust auth, loopback only). */
  url: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data (a store outage). */
  halt(): Promise<void>;
  /** Starts it again on the same port after `halt()`. */
  resume(): Promise<void>;
}

/** Finds a PostgreSQL bin directory with both initdb and postgres: PATH first, then Debian's. */
export function findPostgresBin(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  return dirs.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL in a new temp dir on a free loopback port and waits until it accepts
 * connections. initdb and postgres refuse to run as root, so as root they run as the
 * `postgres` user (via runuser) in a dir that user owns.
 */
export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('no initdb/postgres found on PATH or in /usr/lib/postgresql/*/bin');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-pg-'));
  const data = path.join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  // runuser lives in /usr/sbin, which is not on every PATH (a non-login shell, a CI step).
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((f) => fs.existsSync(f)) ?? 'runuser';
  const cmd = (file: string, args: string[]): [string, string[]] =>
    asRoot ? [runuser, ['-u', 'postgres', '--', path.join(bin, file), ...args]] : [path.join(bin, file), args];
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      fs.chownSync(root, uid, gid);
    }
    const [initCmd, initArgs] = cmd('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
    execFileSync(initCmd, [...initArgs, '--no-locale', '--no-sync'], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`initdb failed: ${stderr || (err as Error).message}`);
  }

  const port = await freePort();
  const logFile = path.join(root, 'postgres.log');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running: { child: ChildProcess; exit: Promise<void>; exited: () => boolean } | undefined;

  const spawnPostmaster = () => {
    const log = fs.openSync(logFile, 'a');
    const [pgCmd, pgArgs] = cmd('postgres', [
      '-D',
      data,
      '-k',
      root,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ]);
    const child: ChildProcess = spawn(pgCmd, pgArgs, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    let exited = false;
    const exit = new Promise<void>((resolve) =>
      child.once('exit', () => {
        exited = true;
        resolve();
      }),
    );
    running = { child, exit, exited: () => exited };
  };

  /** Fast shutdown of the server (the data stays): clients see their connections end. */
  const halt = async (): Promise<void> => {
    const r = running;
    running = undefined;
    if (!r || r.exited()) return;
    // Signal the postmaster itself (its pid is in postmaster.pid): runuser in between may not
    // forward signals. SIGINT is PostgreSQL's fast shutdown.
    let pid = Number.NaN;
    try {
      pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      // Not written yet.
    }
    try {
      process.kill(Number.isInteger(pid) && pid > 0 ? pid : (r.child.pid as number), 'SIGINT');
    } catch {
      // Already gone.
    }
    await Promise.race([r.exit, new Promise((res) => setTimeout(res, 10_000))]);
    if (!r.exited()) r.child.kill('SIGKILL');
  };

  const stop = async (): Promise<void> => {
    await halt();
    fs.rmSync(root, { recursive: true, force: true });
  };

  /** Starts the server (again) on the same port and data, and waits until it accepts connections. */
  const resume = async (): Promise<void> => {
    spawnPostmaster();
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (running?.exited()) {
        const tail = fs.readFileSync(logFile, 'utf8').slice(-2000);
        throw new Error(`postgres exited during startup:\n${tail}`);
      }
      const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
      try {
        await sql`select 1`;
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await sql.end({ timeout: 1 });
      }
    }
  };

  try {
    await resume();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop, halt, resume };
}
