/**
 * Timing whole processes, as a user waits for them: wall time and peak RSS from GNU time
 * (`/usr/bin/time -f '%e %M'`), medians over repeated runs, and the formats figures print in.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIME_BIN = '/usr/bin/time';

export interface Run {
  /** Wall seconds (GNU time %e: 10 ms resolution). */
  wallS: number;
  /** Peak resident set size in KiB (GNU time %M), of the process and its waited-for children. */
  rssKb: number;
  /** CPU seconds, user + system (GNU time %U + %S): on a shared machine, steadier than wall time. */
  cpuS: number;
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `cmd args` under /usr/bin/time; throws when it exits with a code not in `okCodes`. */
export function timed(cmd: string, args: string[], opts: RunOptions = {}, okCodes: number[] = [0]): Run {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-bench-time-')), 'time.txt');
  try {
    const r = spawnSync(TIME_BIN, ['-f', '%e %M %U %S', '-o', out, cmd, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (r.error) throw r.error;
    // On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    const last = fs.readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [wall, rss, user, sys] = last.split(' ').map(Number);
    const run: Run = { wallS: wall, rssKb: rss, cpuS: user + sys, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    if (!okCodes.includes(run.code)) {
      throw new Error(`${cmd} ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-2000)}`);
    }
    return run;
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

export interface Figure {
  wallS: number;
  /** Median CPU seconds (user + system). */
  cpuS: number;
  rssMb: number;
  runs: Run[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `times` runs, each set up by `before` (untimed); medians of wall time and of peak RSS. */
export function medianOf(times: number, run: (i: number) => Run, before?: (i: number) => void): Figure {
  const runs: Run[] = [];
  for (let i = 0; i < times; i++) {
    before?.(i);
    runs.push(run(i));
  }
  return {
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    rssMb: median(runs.map((r) => r.rssKb)) / 1024,
    runs,
  };
}

export const secs = (s: number): string => `${s.toFixed(2)} s`;
export const mb = (m: number): string => `${Math.round(m)} MB`;
/** Flux's duration style: 4m16s, 28s; below a minute with one decimal (3.2s). */
export const fluxDuration = (s: number): string =>
  s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
/** Flux's memory style: MiB as "175Mi". */
export const fluxMemory = (mib: number): string => `${Math.round(mib)}Mi`;
export const spread = (f: Figure): string => `runs ${f.runs.map((r) => r.wallS.toFixed(2)).join('/')} s`;

/** A Markdown table with aligned columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
