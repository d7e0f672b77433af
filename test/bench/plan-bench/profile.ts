/**
 * Where a CLI run's time goes: runs it once under `node --cpu-prof`, then sums self time per
 * function (file:line) and per area (YAML parsing, ajv, PGlite, engine folders, ...).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<{ name: string; where: string; ms: number }>;
  areas: Array<{ area: string; ms: number }>;
}

/** Short, repo-relative location of a frame. */
function where(root: string, f: CallFrame): string {
  if (!f.url) return '(native)';
  let p = f.url.startsWith('file://') ? decodeURIComponent(new URL(f.url).pathname) : f.url;
  if (p.startsWith(root)) p = p.slice(root.length + 1);
  return `${p}:${f.lineNumber + 1}`;
}

/** Groups a frame into the part of the pipeline it belongs to. */
function areaOf(f: CallFrame): string {
  const u = f.url;
  if (!u) return f.functionName.startsWith('(') ? f.functionName : '(native/builtins)';
  if (u.startsWith('wasm://')) return 'PGlite (embedded store, WASM)';
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (mod) {
    const name = mod[1];
    if (name === 'yaml') return 'yaml (parsing)';
    if (name === 'ajv' || name === 'ajv-formats' || name.startsWith('fast-')) return `${name} (schema validation)`;
    if (name === '@electric-sql/pglite') return 'PGlite (embedded store, WASM)';
    if (name === 'postgres') return 'postgres.js (PostgreSQL client)';
    return name;
  }
  const eng = /dist\/engine\/([^/]+)\//.exec(u);
  if (eng) return `engine/${eng[1]}`;
  if (/dist\/engine\/[^/]+\.js/.test(u)) return 'engine (root)';
  if (u.startsWith('node:')) return 'node internals';
  // A compiled ajv validator is eval'd code without a file.
  return u.includes('eval') ? 'eval (compiled validators)' : u;
}

export function summarize(file: string, root: string, top = 8): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before samples[i]; attribute the interval after a sample to it.
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i + 1] ?? 0;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
  }
  const fn = new Map<string, { name: string; where: string; ms: number }>();
  const area = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const f = (byId.get(id) as ProfileNode).callFrame;
    if (f.functionName === '(idle)') continue;
    total += us;
    const w = where(root, f);
    const key = `${f.functionName}@${w}`;
    const entry = fn.get(key) ?? { name: f.functionName || '(anonymous)', where: w, ms: 0 };
    entry.ms += us / 1000;
    fn.set(key, entry);
    const a = areaOf(f);
    area.set(a, (area.get(a) ?? 0) + us / 1000);
  }
  return {
    totalMs: total / 1000,
    functions: [...fn.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
    areas: [...area.entries()]
      .map(([a, ms]) => ({ area: a, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top + 2),
  };
}

/** Runs `node --cpu-prof [script args]` once and summarizes the profile. */
export function profileRun(
  script: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; root: string },
): ProfileSummary {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-bench-prof-'));
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0) throw new Error(`profiled run exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    return summarize(path.join(dir, file), opts.root);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
