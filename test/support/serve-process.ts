import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/ploy.js');

/** A real `ploy` process in `cwd`, its stdout and stderr kept for assertions; `umask` runs it under that mask. */
export function ployProcess(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  opts: { umask?: string } = {},
): ChildProcess & { output: () => string } {
  const [cmd, argv] = opts.umask
    ? ['sh', ['-c', `umask ${opts.umask}; exec "$@"`, 'sh', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const child = spawn(cmd, argv as string[], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

/** A real `ploy serve` process in `cwd`, its stdout and stderr kept for assertions. */
export function serve(cwd: string, env: Record<string, string>): ChildProcess & { output: () => string } {
  return ployProcess(cwd, ['serve'], env);
}

/** Polls `check` every 50 ms until it returns something truthy, or fails after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A line `ploy serve` logged (pino's JSON, as it logs when its output is not a terminal). */
export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** The JSON log lines in a process's output, in order. */
export const logLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
