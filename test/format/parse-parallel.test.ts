import { describe, expect, it } from 'vitest';

// The compiled engine: the worker script exists only there (npm test builds it first). The
// three modules come from dist together, so they share one parse cache.
const fromDist = <T>(file: string): Promise<T> => import(new URL(`../../dist/engine/load/${file}`, import.meta.url).href);
const { cachedParse, parseKey } = await fromDist<typeof import('../../engine/load/parse-cache.js')>('parse-cache.js');
const { parseFile } = await fromDist<typeof import('../../engine/load/parse-file.js')>('parse-file.js');
const { PARALLEL_MIN_BYTES, parseSnapshot } =
  await fromDist<typeof import('../../engine/load/parse-parallel.js')>('parse-parallel.js');

const enc = (s: string) => new TextEncoder().encode(s);

/** Valid files large enough to go to worker threads, and files with every kind of problem. */
function files(): Array<{ path: string; bytes: Uint8Array }> {
  const out: Array<{ path: string; bytes: Uint8Array }> = [];
  for (let f = 0; f < 60; f++) {
    const docs = Array.from(
      { length: 10 },
      (_, i) =>
        `kind: Job\nname: job-${f}-${i}\nschedule: "*/5 * * * *"\nshell:\n  command: |\n    echo one\n    echo ${f} ${i}\nlabels: {team: t${i}}\n`,
    );
    out.push({ path: `jobs/f${f}.yaml`, bytes: enc(docs.join('---\n')) });
  }
  out.push({ path: 'bad/syntax.yaml', bytes: enc('kind: Job\nname: [unclosed\n') });
  out.push({ path: 'bad/dup.yaml', bytes: enc('kind: Job\nname: a\nname: b\n') });
  out.push({ path: 'bad/proto.yaml', bytes: enc('kind: Job\n__proto__: {x: 1}\n') });
  out.push({ path: 'bad/tabs.yaml', bytes: enc('kind: Job\n\tname: a\n') });
  out.push({
    path: 'bad/bomb.yaml',
    bytes: enc(
      `a: &a [x, x, x, x, x, x, x, x, x]\n${'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n'}`,
    ),
  });
  out.push({ path: 'bad/binary.yaml', bytes: new Uint8Array([0x6b, 0, 1, 2, 0xff]) });
  out.push({ path: 'bad/deep.yaml', bytes: enc(`x: ${'['.repeat(500)}${']'.repeat(500)}\n`) });
  return out;
}

describe('parsing a large snapshot in worker threads', () => {
  it('gives exactly what parsing on the main thread gives, positions included', async () => {
    const all = files();
    expect(all.reduce((n, f) => n + f.bytes.length, 0)).toBeGreaterThan(PARALLEL_MIN_BYTES);
    await parseSnapshot(all);
    for (const f of all) {
      const fromWorker = cachedParse(parseKey(f.path, f.bytes));
      const here = parseFile(f.path, f.bytes);
      expect(fromWorker, f.path).toBeDefined();
      expect(fromWorker!.diagnostics).toEqual(here.diagnostics);
      expect(fromWorker!.documents.map(({ positions: _, ...d }) => d)).toEqual(here.documents.map(({ positions: _, ...d }) => d));
      fromWorker!.documents.forEach((doc, i) => {
        const other = here.documents[i].positions;
        for (const path of [[], ['name'], ['labels', 'team'], ['shell', 'command'], ['no', 'such']]) {
          expect(doc.positions.of(path)).toEqual(other.of(path));
        }
        expect(doc.positions.within(['shell', 'command'], 'echo')).toEqual(other.within(['shell', 'command'], 'echo'));
      });
    }
    // A line inside a block scalar, found lazily from the file's bytes.
    const first = cachedParse(parseKey(all[0].path, all[0].bytes))!.documents[1];
    expect(first.positions.within(['shell', 'command'], `echo 0 1`)).toEqual({ file: 'jobs/f0.yaml', line: 16, column: 5 });
  });
});
