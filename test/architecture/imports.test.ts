import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of engine/ (.dependency-cruiser.cjs), run in CI: which floor may import which,
 * adapters only in the composition root, render/ only for the CLI and the API, no cycles. The
 * arrows that ran back up when the rules were written are listed in the known-violations file;
 * this test fails on a new one, and on a listed one that is gone (take it off the list).
 */

const ROOT = join(import.meta.dirname, '../..');
const KNOWN = join(ROOT, '.dependency-cruiser-known-violations.json');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string };
}
const key = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

async function violations(): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/depcruise'),
    ['engine', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' })); // it exits non-zero when it finds any
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the import rules of engine/', () => {
  it('finds no arrow that runs back up beyond the known ones, and every known one still exists', async () => {
    const found = new Set((await violations()).map(key));
    const known = new Set((JSON.parse(await readFile(KNOWN, 'utf8')) as Violation[]).map(key));
    const added = [...found].filter((k) => !known.has(k));
    const removed = [...known].filter((k) => !found.has(k));
    expect(added, 'new imports against the rules in .dependency-cruiser.cjs').toEqual([]);
    expect(removed, `gone: take these off ${KNOWN}`).toEqual([]);
  }, 60_000);
});
