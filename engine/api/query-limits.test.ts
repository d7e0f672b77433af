import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './deps.js';
import { checkQuery, measureQuery } from './query-limits.js';

const kinds = (query: string) => checkQuery(parse(query), DEFAULT_LIMITS).map((e) => e.extensions.kind);

describe('measureQuery', () => {
  it('counts depth, fields, aliases and directives as written', () => {
    expect(measureQuery(parse('{ a: engine { version @include(if: true) } b: engine { version } }'))).toEqual({
      depth: 2,
      fields: 4,
      aliases: 2,
      directives: 1,
    });
  });

  it('expands fragments once per spread, the way execution would select them', () => {
    const shape = measureQuery(parse('{ engine { ...F } x: engine { ...F } } fragment F on EngineStatus { version source }'));
    expect(shape).toMatchObject({ depth: 2, fields: 6, aliases: 1 });
  });

  it('measures a chain of fragments that doubles at each step in linear time', () => {
    // Fragment k spreads fragment k+1 twice under two aliases: 2^40 fields once expanded.
    const frags = Array.from(
      { length: 40 },
      (_, k) => `fragment F${k} on Query { a${k}: engine { ...F${k + 1} } b${k}: engine { ...F${k + 1} } }`,
    );
    const doc = parse(`{ ...F0 } ${frags.join(' ')} fragment F40 on Query { engine { version } }`);
    const started = performance.now();
    const shape = measureQuery(doc);
    expect(performance.now() - started).toBeLessThan(50);
    expect(shape.fields).toBeGreaterThan(2 ** 40);
    expect(shape.aliases).toBe(80);
  });

  it('stops at a cycle of fragments instead of looping (validation reports the cycle)', () => {
    expect(
      measureQuery(parse('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A engine { version } }')),
    ).toMatchObject({
      fields: 2,
    });
  });

  it('does not count the nesting of introspection, which graphql-js bounds itself', () => {
    expect(measureQuery(parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true })))).toMatchObject({ depth: 1 });
  });
});

describe('checkQuery with the default limits', () => {
  it('accepts GraphiQL’s introspection query', () => {
    expect(kinds(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }))).toEqual([]);
  });

  it('refuses a query over each limit, naming the limit', () => {
    expect(kinds(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: engine { version }`).join(' ')} }`)).toEqual(['Aliases']);
    expect(kinds(`{ ${Array.from({ length: 301 }, () => '__typename').join(' ')} }`)).toEqual(['Breadth']);
    expect(kinds(`{ engine @skip(if: false) ${'@include(if: true) '.repeat(30)} { version } }`)).toEqual(['Directives']);
    let deep = 'number';
    for (let i = 0; i < 12; i++) deep = `plan { revision { ${deep} } }`;
    const errors = checkQuery(parse(`{ applies { edges { node { ${deep} } } } }`), DEFAULT_LIMITS);
    expect(errors.map((e) => e.message)).toEqual(['query depth 28 exceeds the limit of 12']);
  });
});
