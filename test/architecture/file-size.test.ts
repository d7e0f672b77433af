import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Small files in engine/: no source file over MAX_LINES lines. A file that grows past it has
 * grown a second job; split it along that seam rather than raising the limit. Tests are exempt.
 */

const ROOT = join(import.meta.dirname, '../..');
const ENGINE = join(ROOT, 'engine');
const MAX_LINES = 300;

/** Every .ts file under `dir` but tests (`*.test.ts`), declarations (`*.d.ts`) and generated files (`*.generated.ts`, which no one edits). */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|d|generated)\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Lines as an editor numbers them: a final newline does not start another. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('the size of engine/ files', () => {
  it(`has no source file over ${MAX_LINES} lines`, async () => {
    const files = await sources(ENGINE);
    expect(files.length).toBeGreaterThan(100);
    const over: string[] = [];
    for (const file of files) {
      const lines = lineCount(await readFile(file, 'utf8'));
      if (lines > MAX_LINES) over.push(`${relative(ROOT, file)}: ${lines} lines`);
    }
    expect(over.sort(), `split these along a seam (at most ${MAX_LINES} lines each)`).toEqual([]);
  });
});
