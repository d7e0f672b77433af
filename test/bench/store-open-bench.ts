/**
 * How long opening the embedded store takes, and what it costs in memory: a CLI command pays
 * this on every run. Each measurement runs in a new process (a warm process would flatter it).
 * Run: npm run build && node dist/test/bench/store-open-bench.js [runs]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../engine/adapters/store/open-store.js';

interface Sample {
  openMs: number;
  rssMb: number;
}

async function child(dir: string): Promise<void> {
  const start = performance.now();
  const store = await openStore('embedded', { embeddedDir: dir });
  const openMs = performance.now() - start;
  await store.listApplied();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await store.close();
  process.stdout.write(JSON.stringify({ openMs, rssMb } satisfies Sample));
}

function measure(dir: string): Sample {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), 'child', dir], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Sample;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: Sample): string => `open ${Math.round(s.openMs)} ms, rss ${Math.round(s.rssMb)} MB`;

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(process.argv[3]);
  const runs = Number(process.argv[2] ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-store-bench-'));
  try {
    console.log(`fresh dir:    ${fmt(measure(dir))}`);
    const samples = Array.from({ length: runs }, () => measure(dir));
    console.log(
      `existing dir: ${fmt({ openMs: median(samples.map((s) => s.openMs)), rssMb: median(samples.map((s) => s.rssMb)) })}` +
        ` (median of ${runs}; min ${Math.round(Math.min(...samples.map((s) => s.openMs)))} ms)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
