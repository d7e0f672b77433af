import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ALL_KINDS, writePloyRepo } from '../../test/bench/plan-bench/generate.js';
import { parseSimpleYaml, type SimpleDocument } from './simple-yaml.js';
import { MAX_ALIAS_COUNT } from './parse-file.js';
import { YAML_OPTIONS } from './yaml-options.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What the full parser makes of a text: parseFile's non-empty documents, or 'error'. */
function full(text: string): SimpleDocument[] | 'error' {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, YAML_OPTIONS(lc));
  if (!Array.isArray(docs)) return 'error';
  const out: SimpleDocument[] = [];
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) return 'error';
    if (doc.contents === null) continue;
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as SimpleDocument['value'];
    if (value === null) continue;
    const { line, col } = lc.linePos(doc.contents.range[0]);
    out.push({ index, value, line, column: col });
  }
  return out;
}

/** The fast reader either declines or agrees with the full parser on everything parseFile keeps. */
function agrees(text: string): boolean | undefined {
  const simple = parseSimpleYaml(text);
  if (simple === undefined) return undefined;
  const expected = full(text);
  if (expected === 'error' || !isDeepStrictEqual(simple, expected)) {
    throw new Error(`simple-yaml disagrees on ${JSON.stringify(text)}:\n${JSON.stringify(simple)}\n${JSON.stringify(expected)}`);
  }
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

// A small deterministic PRNG, so a failure names a seed that reproduces it.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'a',
  'b',
  'name',
  'kind',
  'image',
  'env',
  'x-y',
  'a.b',
  'x/y',
  'A_B',
  '_u',
  'true',
  'null',
  'No',
  'on',
  'y',
  'Null',
  'constructor',
  '__proto__',
  '<<',
  'a b',
  '1',
  '0x1',
  '"q"',
  "'s'",
  'k:',
];
const SCALARS = [
  'web',
  'ghcr.io/acme/web:2.1',
  'node server.js',
  '0',
  '-0',
  '+1',
  '007',
  '08',
  '0o17',
  '0o8',
  '0x1F',
  '0xg',
  '1e3',
  '1E-2',
  '.5',
  '1.',
  '+.5',
  '-.5e+2',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '.NAN',
  'nan',
  'inf',
  '1_000',
  '~',
  'null',
  'Null',
  'NULL',
  'nULL',
  'yes',
  'no',
  'on',
  'off',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'FALSE',
  '2026-01-01',
  '12:30',
  '1:2',
  '30s',
  '256M',
  '10.0.0.1',
  '-',
  '--',
  '-x',
  '-1',
  '?x',
  ':x',
  'a #b',
  'a#b',
  'a: b',
  'a:',
  'a:b',
  'http://x/y?q=1#f',
  'x,y',
  'a [b]',
  'a {b}',
  'say "hi"',
  "it's",
  '${env:A:-b}',
  '${secret:S}',
  '$${x}',
  '"double"',
  '"a\\nb"',
  '"a\\tb\\\\c\\"d\\/"',
  '"\\x41"',
  '"\\u00e9"',
  '"a # b"',
  '"a: b"',
  "'single'",
  "'it''s'",
  "''",
  '""',
  "'a\\nb'",
  '[]',
  '{}',
  '[a, b]',
  '[a,b]',
  '[ a , b ]',
  '[a, [b, c]]',
  '["8080:3000", 53:53/udp]',
  '[http://a/b, c]',
  '[a: b]',
  '[a, , b]',
  '[a, b,]',
  '{a: 1}',
  '{a: 1, b: [x]}',
  '{a:1}',
  '{a: }',
  '{url: https://x.y/z, method: GET}',
  '{a: 1, a: 2}',
  '{"a": 1}',
  '[a #c]',
  '[a] x',
  '[a]  # c',
  '&anchor x',
  '*alias',
  '!tag x',
  '|',
  '>-',
  '%x',
  '@x',
  '`x`',
  'é',
  'ünïcode wörds',
  '😀',
  'a  b',
  'a\\b',
  '" spaced "',
  'x # comment',
];

function randomText(r: () => number): string {
  // Most texts use only keys the reader takes, so that many are read and compared whole.
  const keys = r() < 0.7 ? KEYS.slice(0, 10) : KEYS;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * ((xs as unknown) === KEYS ? keys.length : xs.length))];
  const lines: string[] = [];
  const block = (indent: number, depth: number) => {
    const pad = ' '.repeat(indent);
    const n = 1 + Math.floor(r() * 4);
    const asSeq = r() < 0.3;
    for (let i = 0; i < n; i++) {
      if (r() < 0.08) lines.push(r() < 0.5 ? '' : `${' '.repeat(Math.floor(r() * 6))}# note`);
      const prefix = asSeq ? `${pad}- ` : `${pad}${pick(KEYS)}:`;
      const roll = r();
      if (depth < 4 && roll < 0.3) {
        lines.push(asSeq ? `${pad}-` : prefix);
        const step = pick([1, 2, 2, 4]);
        // Sequences may sit at their key's indent.
        block(!asSeq && r() < 0.2 ? indent : indent + step, depth + 1);
      } else if (asSeq && depth < 4 && roll < 0.45) {
        lines.push(`${prefix}${pick(KEYS)}: ${pick(SCALARS)}`);
        const m = Math.floor(r() * 3);
        for (let j = 0; j < m; j++) lines.push(`${pad}  ${pick(KEYS)}: ${pick(SCALARS)}`);
      } else {
        lines.push(`${prefix}${asSeq ? '' : ' '}${pick(SCALARS)}${r() < 0.1 ? ' # trailing' : ''}`);
      }
      // Now and then a broken indent, a stray continuation or trailing spaces.
      if (r() < 0.03) lines.push(`${' '.repeat(indent + 1 + Math.floor(r() * 3))}${pick(SCALARS)}`);
      if (r() < 0.05) lines[lines.length - 1] += '  ';
    }
  };
  const docs = 1 + Math.floor(r() * 3);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || r() < 0.2) lines.push(r() < 0.9 ? '---' : pick(['--- ', '--- # x', '...', '---x']));
    if (r() < 0.1) continue; // an empty document
    block(r() < 0.05 ? 2 : 0, 0);
  }
  return lines.join('\n') + (r() < 0.8 ? '\n' : '');
}

describe('parseSimpleYaml', () => {
  it('reads every YAML file of the repository as the full parser does, or declines', () => {
    const files = yamlFiles(ROOT);
    expect(files.length).toBeGreaterThan(15);
    let read = 0;
    for (const f of files) if (agrees(fs.readFileSync(f, 'utf8'))) read++;
    // The examples and most fixtures are the common case it exists for.
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it("reads the README's YAML examples as the full parser does, or declines", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) agrees(b);
  });

  it('reads generated config repos (the plan benchmark) without falling back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-yaml-'));
    try {
      writePloyRepo(dir, 200, ALL_KINDS, 1);
      for (const f of yamlFiles(dir)) expect(agrees(fs.readFileSync(f, 'utf8')), f).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with the full parser on each edge-case scalar, as a value, a list item and in flow', () => {
    for (const s of SCALARS) {
      for (const text of [`k: ${s}\n`, `k:\n  - ${s}\n`, `k: [${s}]\n`, `k: {v: ${s}}\n`, `- ${s}\n`, `${s}: 1\n`]) agrees(text);
    }
  });

  it('agrees on document structure: separators, empty documents, comments, indentation', () => {
    const cases = [
      '',
      '# only a comment\n',
      'a: 1\n',
      '---\na: 1\n',
      '# c\n---\na: 1\n',
      'a: 1\n---\n',
      'a: 1\n---\n---\nb: 2\n',
      '\n\n---\n# x\n---\nb: 2',
      '  a: 1\n  b: 2\n',
      'a: 1\n...\n',
      'a:\n- x\n- y\nb: 2\n',
      'a:\n  - x\n  -\n  - y: 1\n    z: 2\n',
      '- a: 1\n  b:\n    c: 2\n- d\n',
      'a:\n  b: 1\n c: 2\n',
      'a: b\n  c\n',
      'a: 1\na: 2\n',
      'a:\n    b: 1\n  c: 2\n',
      '- - a\n',
      'a: - b\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      '\ufeffa: 1\n',
      'a: "x\n  y"\n',
      "a: 'x\n  y'\n",
      'a: [x,\n  y]\n',
      'a: |\n  x\n',
      'a: >\n  x\n',
      'a: &x 1\nb: *x\n',
      'a: {<<: {b: 1}}\n',
      'a: !!str 1\n',
      '? a\n: b\n',
      'a:    # comment\n  b: 1\n',
      'a: 1 # c\n# c\n  # c\nb: 2\n',
      '---\n---\n',
      'x:\n-\n',
      'k: v\n---\n- 1\n- 2\n',
      '---\n\n  a: 1\n',
    ];
    for (const c of cases) agrees(c);
  });

  it('agrees with the full parser on 40,000 random documents (or declines them)', () => {
    let read = 0;
    for (let seed = 1; seed <= 40_000; seed++) {
      const text = randomText(rng(seed));
      try {
        if (agrees(text)) read++;
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`);
      }
    }
    // Enough of them are read, so the comparison covers the reader and not only its refusals.
    expect(read).toBeGreaterThan(5_000);
  });
});
