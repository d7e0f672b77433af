import { describe, expect, it } from 'vitest';
import { parseCondition } from './parser.js';
import type { ConditionAst } from './types.js';

function ast(text: string): ConditionAst {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.error} (column ${result.column})`);
  return result.ast;
}

function failure(text: string): { error: string; column: number } {
  const result = parseCondition(text);
  if (result.ok) throw new Error(`expected "${text}" not to parse`);
  return { error: result.error, column: result.column };
}

describe('parseCondition', () => {
  it('parses a placeholder compared with a literal', () => {
    expect(ast('[STATUS] == 200')).toEqual({
      type: 'condition',
      left: { type: 'placeholder', name: 'STATUS', path: [], text: '[STATUS]', column: 1 },
      operator: '==',
      right: { type: 'literal', value: '200', text: '200', column: 13 },
      text: '[STATUS] == 200',
    });
  });

  it('accepts every operator', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(ast(`[STATUS] ${op} 200`).operator).toBe(op);
    }
  });

  it('parses a JSON path of keys and indexes', () => {
    expect(ast('[BODY].a.b[0].c == x').left).toMatchObject({
      name: 'BODY',
      path: [
        { kind: 'key', key: 'a' },
        { kind: 'key', key: 'b' },
        { kind: 'index', index: 0 },
        { kind: 'key', key: 'c' },
      ],
      text: '[BODY].a.b[0].c',
    });
  });

  it('parses an index right after [BODY] and nested indexes', () => {
    expect(ast('[BODY][0] == x').left).toMatchObject({ path: [{ kind: 'index', index: 0 }] });
    expect(ast('[BODY].m[1][2] == x').left).toMatchObject({
      path: [
        { kind: 'key', key: 'm' },
        { kind: 'index', index: 1 },
        { kind: 'index', index: 2 },
      ],
    });
  });

  it('keeps unusual but valid JSON keys such as dashes, digits and dollars', () => {
    expect(ast('[BODY].x-request-id.0.$ref == x').left).toMatchObject({
      path: [
        { kind: 'key', key: 'x-request-id' },
        { kind: 'key', key: '0' },
        { kind: 'key', key: '$ref' },
      ],
    });
  });

  it('reads placeholders in any case, as Gatus does, and keeps the text as written', () => {
    expect(ast('[status] == 200').left).toMatchObject({ name: 'STATUS', text: '[status]' });
    expect(ast('[Body].Data == x').left).toMatchObject({
      name: 'BODY',
      path: [{ kind: 'key', key: 'Data' }],
    });
  });

  it('parses len() and has() around a placeholder', () => {
    expect(ast('len([BODY].data) < 5').left).toMatchObject({
      type: 'call',
      fn: 'len',
      arg: { name: 'BODY', path: [{ kind: 'key', key: 'data' }] },
      text: 'len([BODY].data)',
    });
    expect(ast('has([BODY].errors) == false').left).toMatchObject({ type: 'call', fn: 'has' });
  });

  it('keeps the raw text of a pat() glob, spaces, quotes and brackets included', () => {
    expect(ast('[BODY] == pat(*<div id="user">john doe</div>*)').right).toEqual({
      type: 'pattern',
      pattern: '*<div id="user">john doe</div>*',
      text: 'pat(*<div id="user">john doe</div>*)',
      column: 11,
    });
    expect(ast('[BODY] == pat(*(ok)*)').right).toMatchObject({ pattern: '*(ok)*' });
  });

  it('splits any() on commas and trims each option', () => {
    expect(ast('[STATUS] == any(200, 201,  429 )').right).toMatchObject({
      type: 'any',
      options: ['200', '201', '429'],
    });
  });

  it('accepts pat() and any() on the left side', () => {
    expect(ast('any(200, 429) == [STATUS]').left.type).toBe('any');
    expect(ast('pat(2*) != [STATUS]').left.type).toBe('pattern');
  });

  it('takes literal text with spaces, as Gatus splits on the operator', () => {
    expect(ast('[BODY].message == all systems go').right).toMatchObject({ value: 'all systems go' });
    expect(ast('raw == raw').left).toMatchObject({ type: 'literal', value: 'raw' });
  });

  it('keeps quotes as part of a literal, since Gatus values are unquoted', () => {
    expect(ast('[BODY].status == "UP"').right).toMatchObject({ value: '"UP"' });
  });

  it('treats operator characters glued to other text as part of a literal', () => {
    expect(ast('[BODY] == <html>').right).toMatchObject({ value: '<html>' });
    expect(ast('[BODY].expr == a==b').right).toMatchObject({ value: 'a==b' });
  });

  it('tolerates extra whitespace around operands and operator', () => {
    const parsed = ast('  [STATUS]\t==   200  ');
    expect(parsed.left.text).toBe('[STATUS]');
    expect(parsed.right).toMatchObject({ value: '200', column: 17 });
  });

  it('accepts durations, hexadecimal and decimals as numbers for ordering operators', () => {
    for (const value of ['48h', '1h30m', '1.5s', '500ms', '2d', '0x1F', '0b101', '1_000', '12.5', '-3']) {
      expect(parseCondition(`[RESPONSE_TIME] < ${value}`).ok).toBe(true);
    }
  });

  it('never throws, even when given something that is not a string', () => {
    expect(parseCondition(undefined as unknown as string)).toMatchObject({ ok: false, column: 1 });
  });
});

describe('parseCondition errors', () => {
  it('rejects an empty condition at column 1', () => {
    expect(failure('')).toEqual({ error: 'the condition is empty', column: 1 });
    expect(failure('   ').column).toBe(1);
  });

  it('points at an unclosed placeholder bracket', () => {
    expect(failure('[STATUS == 200')).toMatchObject({
      column: 1,
      error: expect.stringContaining('never closed'),
    });
  });

  it('points at an unclosed index bracket in a JSON path', () => {
    expect(failure('[BODY].data[0 == 1')).toMatchObject({
      column: 12,
      error: expect.stringContaining('never closed'),
    });
  });

  it('points at the parenthesis of a len() that is never closed', () => {
    expect(failure('len([BODY].users == 100')).toMatchObject({
      column: 4,
      error: expect.stringContaining('never closed'),
    });
  });

  it('points at the parenthesis of a pat() that is never closed', () => {
    expect(failure('[BODY] == pat(*ok*')).toMatchObject({
      column: 14,
      error: expect.stringContaining('never closed'),
    });
  });

  it('points at an unexpected character inside len()', () => {
    expect(failure('len([BODY].a]) == 1')).toMatchObject({
      column: 13,
      error: expect.stringContaining("unexpected ']'"),
    });
  });

  it('rejects an unknown placeholder and lists the known ones', () => {
    const { error, column } = failure('[STATUS] == [NOPE]');
    expect(column).toBe(13);
    expect(error).toContain('unknown placeholder [NOPE]');
    expect(error).toContain('[CERTIFICATE_EXPIRATION]');
  });

  it('rejects Gatus suite placeholders that Ploy does not have', () => {
    expect(failure('[CONTEXT].user == x')).toMatchObject({
      column: 1,
      error: expect.stringContaining('[CONTEXT]'),
    });
  });

  it('reports a missing operator after the left operand', () => {
    expect(failure('[STATUS]')).toMatchObject({
      column: 9,
      error: expect.stringContaining('missing an operator'),
    });
    expect(failure('just text')).toMatchObject({
      column: 10,
      error: expect.stringContaining('missing an operator'),
    });
  });

  it('reports a word where the operator should be', () => {
    expect(failure('[STATUS] 200')).toMatchObject({
      column: 10,
      error: expect.stringContaining("found '200'"),
    });
    expect(failure('[STATUS] ? 201')).toMatchObject({
      column: 10,
      error: expect.stringContaining("found '?'"),
    });
    expect(failure('[STATUS] = = 201')).toMatchObject({
      column: 10,
      error: expect.stringContaining("found '='"),
    });
  });

  it('asks for spaces around an operator written without them', () => {
    expect(failure('[STATUS]==201')).toMatchObject({
      column: 9,
      error: expect.stringContaining("put spaces around '=='"),
    });
    expect(failure('[STATUS] ==201')).toMatchObject({
      column: 10,
      error: expect.stringContaining('put spaces'),
    });
    expect(failure('201==[STATUS]')).toMatchObject({
      column: 4,
      error: expect.stringContaining('put spaces'),
    });
  });

  it('reports a missing value on either side of the operator', () => {
    expect(failure('[STATUS] ==')).toMatchObject({ column: 10, error: "missing a value after '=='" });
    expect(failure('== 200')).toMatchObject({
      column: 1,
      error: expect.stringContaining('expected a value'),
    });
  });

  it('rejects a second operator', () => {
    expect(failure('[STATUS] == 200 == 201')).toMatchObject({
      column: 17,
      error: expect.stringContaining('exactly one operator'),
    });
  });

  it('rejects an unknown function, including one in the wrong case', () => {
    expect(failure('foo([STATUS]) == 1')).toMatchObject({
      column: 1,
      error: expect.stringContaining("unknown function 'foo'"),
    });
    expect(failure('[BODY] == LEN([BODY])')).toMatchObject({
      column: 11,
      error: expect.stringContaining("'LEN'"),
    });
  });

  it('rejects len() and has() of something that is not a placeholder', () => {
    expect(failure('len(200) == 3')).toMatchObject({
      column: 5,
      error: expect.stringContaining('takes a placeholder'),
    });
    expect(failure('has() == true')).toMatchObject({ column: 5 });
  });

  it('rejects a dot that is not followed by a key', () => {
    expect(failure('[BODY]. == 1')).toMatchObject({
      column: 8,
      error: expect.stringContaining("key after '.'"),
    });
  });

  it('rejects an array index that is not a non-negative integer', () => {
    expect(failure('[BODY].items[x] == 1')).toMatchObject({
      column: 14,
      error: expect.stringContaining('array index'),
    });
    expect(failure('[BODY].items[-1] == 1').column).toBe(14);
    expect(failure('[BODY].items[] == 1').column).toBe(14);
  });

  it('rejects a JSON path on placeholders other than [BODY]', () => {
    expect(failure('[STATUS].code == 1')).toMatchObject({
      column: 9,
      error: expect.stringContaining('only [BODY]'),
    });
  });

  it('rejects text glued to a placeholder', () => {
    expect(failure('[STATUS]x == 1')).toMatchObject({
      column: 9,
      error: expect.stringContaining("unexpected 'x'"),
    });
  });

  it('rejects a malformed glob in pat()', () => {
    expect(failure('[BODY] == pat([abc)')).toMatchObject({
      column: 15,
      error: expect.stringContaining('malformed pattern'),
    });
  });

  it('rejects pat() and any() with ordering operators', () => {
    expect(failure('[STATUS] < pat(2*)')).toMatchObject({
      column: 12,
      error: 'pat() only works with == and !=',
    });
    expect(failure('any(1, 2) >= [STATUS]')).toMatchObject({
      column: 1,
      error: 'any() only works with == and !=',
    });
  });

  it('rejects comparing pat() with any()', () => {
    expect(failure('pat(a*) == any(a, b)').column).toBe(12);
  });

  it('rejects a literal that is not a number in an ordering comparison', () => {
    expect(failure('[RESPONSE_TIME] < potato')).toMatchObject({
      column: 19,
      error: expect.stringContaining("'potato'"),
    });
  });

  it('rejects ordering comparisons on values that are never numbers', () => {
    expect(failure('[IP] > 5')).toMatchObject({ column: 1, error: '[IP] is not a number: use == or !=' });
    expect(failure('[CONNECTED] >= 1').column).toBe(1);
    expect(failure('[DNS_RCODE] < 3').column).toBe(1);
    expect(failure('has([BODY].x) > 0').column).toBe(1);
  });
});
