import { describe, expect, it } from 'vitest';
import { validate } from './harness.js';

const GOOD = { 'good.yaml': 'kind: Monitor\nname: still-loaded\ntcp: {host: 127.0.0.1, port: 22}\n' };

function bomb(): string {
  let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 0, prev = 'a'; i < 9; i++) {
    const n = String.fromCharCode(98 + i);
    s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return s;
}

/**
 * Hostile input through the whole load → validate pipeline: each is refused with a diagnostic
 * naming the file, the line and the problem, in well under a second, and the other files of
 * the source still load.
 */
describe('hostile input', () => {
  it.each([
    ['a YAML bomb', { 'bad.yaml': bomb() }, { code: 'yaml-alias-limit', line: 1, words: /YAML bomb/ }],
    [
      'a binary file',
      { 'bad.yaml': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]) },
      { code: 'file-binary', line: 1, words: /not a UTF-8 text file/ },
    ],
    [
      'a 10 MB file',
      { 'bad.yaml': `a: "${'x'.repeat(10 * 1024 * 1024)}"\n` },
      { code: 'file-too-large', line: 1, words: /over 5 MB are not read/ },
    ],
    [
      'deep nesting',
      { 'bad.yaml': `kind: App\nname: x\nimage: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n` },
      { code: 'yaml-too-deep', line: 3, words: /Nesting deeper than 64 levels/ },
    ],
    [
      'tab indentation',
      { 'bad.yaml': 'kind: App\nname: x\nenv:\n\tA: "1"\n' },
      { code: 'yaml-syntax', line: 4, words: /[Tt]ab/ },
    ],
    [
      'a __proto__ key',
      { 'bad.yaml': 'kind: App\nname: x\nimage: y\nenv:\n  __proto__: {polluted: "1"}\n' },
      { code: 'invalid-field', line: 5, words: /__proto__/ },
    ],
  ])('refuses %s with its file and line, fast, and keeps the rest', async (_name, files, want) => {
    const started = performance.now();
    const desired = await validate({ ...GOOD, ...files });
    const ms = performance.now() - started;
    const d = desired.diagnostics.find((x) => x.file === 'bad.yaml');
    expect(d).toMatchObject({ severity: 'error', code: want.code, file: 'bad.yaml', line: want.line });
    expect(d!.message).toMatch(want.words);
    expect(desired.resources.map((r) => r.name)).toContain('still-loaded');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(ms).toBeLessThan(1000);
  });
});
