import { describe, expect, it } from 'vitest';
import { parseFile } from './parse-file.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Runs a parse and returns its result with how long it took. */
function timed(text: string | Uint8Array) {
  const t = performance.now();
  const r = parseFile('bad.yaml', typeof text === 'string' ? enc(text) : text);
  return { ...r, ms: performance.now() - t };
}

describe('parseFile', () => {
  it('reads several documents with the line of every field', () => {
    const { documents, diagnostics } = parseFile(
      'a.yaml',
      enc('kind: App\nname: a\n---\nkind: Job\nname: b\nschedule: "@daily"\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.value)).toEqual([
      { kind: 'App', name: 'a' },
      { kind: 'Job', name: 'b', schedule: '@daily' },
    ]);
    expect(documents[1].positions.of(['schedule'])).toEqual({ file: 'a.yaml', line: 6, column: 1 });
  });

  it('accepts an empty or comment-only file', () => {
    expect(parseFile('e.yaml', enc(''))).toEqual({ documents: [], diagnostics: [] });
    expect(parseFile('c.yaml', enc('# nothing here\n')).diagnostics).toEqual([]);
  });

  it('reads yes, no and off as strings (YAML 1.2)', () => {
    const { documents } = parseFile('a.yaml', enc('a: yes\nb: no\nc: off\n'));
    expect(documents[0].value).toEqual({ a: 'yes', b: 'no', c: 'off' });
  });

  it('expands merge keys', () => {
    const { documents } = parseFile('a.yaml', enc('base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2\n'));
    expect((documents[0].value as any).thing).toEqual({ x: 1, y: 2 });
  });

  it('reports a duplicate key with its line', () => {
    const { diagnostics } = timed('kind: App\nname: a\nname: b\n');
    expect(diagnostics).toMatchObject([{ code: 'yaml-duplicate-key', line: 3, file: 'bad.yaml' }]);
    expect(diagnostics[0].message).toContain('"name"');
  });

  it('refuses a YAML bomb quickly', () => {
    let s = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 0, prev = 'a'; i < 9; i++) {
      const n = String.fromCharCode(98 + i);
      s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = n;
    }
    const r = timed(s);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-alias-limit', line: 1 }]);
    expect(r.diagnostics[0].message).toMatch(/YAML bomb/);
    expect(r.ms).toBeLessThan(500);
  });

  it('refuses a binary file', () => {
    const r = timed(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    expect(r.diagnostics).toMatchObject([{ code: 'file-binary', file: 'bad.yaml', line: 1 }]);
  });

  it('refuses invalid UTF-8', () => {
    expect(timed(new Uint8Array([0x6b, 0x3a, 0x20, 0xff, 0xfe])).diagnostics[0].code).toBe('file-binary');
  });

  it('refuses deep nesting without exhausting the stack or memory', () => {
    for (const text of [
      '['.repeat(100_000) + ']'.repeat(100_000),
      `${'- '.repeat(5000)}x\n`,
      '{a: '.repeat(3000) + '1' + '}'.repeat(3000),
    ]) {
      const r = timed(text);
      // Summaries only: a failing diff of a 200 kB input would itself be the problem.
      expect(r.diagnostics.map((d) => [d.code, d.file, d.line])).toContainEqual([
        expect.stringMatching(/yaml-too-deep|yaml-syntax/),
        'bad.yaml',
        1,
      ]);
      expect(r.diagnostics[0].message.length).toBeLessThan(300);
      expect(r.documents.length).toBe(0);
      expect(Math.round(r.ms) < 1000).toBe(true);
    }
  });

  it('counts no brackets inside strings, comments or block scalars', () => {
    const deep = '['.repeat(200);
    const text = `a: "${deep}"\nb: '${deep}'\n# ${deep}\nc: |\n  ${deep}\n  more\nd: [1, [2]]\n`;
    const r = timed(text);
    expect(r.diagnostics).toEqual([]);
    expect((r.documents[0].value as any).c).toBe(`${deep}\nmore\n`);
  });

  it('reports tab indentation with its line', () => {
    const r = timed('kind: App\nenv:\n\tA: 1\n');
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml-syntax', line: 3 });
    expect(r.diagnostics[0].message).toMatch(/[Tt]ab/);
  });

  it('refuses a __proto__ key instead of polluting prototypes', () => {
    const r = timed('kind: App\nname: a\nenv:\n  __proto__: {polluted: yes}\n');
    expect(r.diagnostics).toMatchObject([{ code: 'invalid-field', line: 4 }]);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('reads a 1 MB file of ten thousand documents', () => {
    const doc = `kind: Monitor\nname: m\ntcp: {host: "${'h'.repeat(60)}", port: 80}\n---\n`;
    const r = timed(doc.repeat(Math.floor(1e6 / doc.length)));
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.length).toBe(Math.floor(1e6 / doc.length));
  });
});
