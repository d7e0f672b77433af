import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';
import { Sensitive } from './sensitive.js';

const at = () => ({ file: 'f.yaml', line: 3, column: 5 });
const ctx = (secrets: Record<string, string> = {}, env: Record<string, string> = {}) => ({
  env,
  secret: (n: string) => secrets[n],
  secrets: 'resolve' as const,
});

describe('interpolate', () => {
  it('replaces env variables and defaults', () => {
    const r = interpolate({ a: '${env:HOST}:${env:PORT:-80}', b: ['x${env:HOST}'] }, ctx({}, { HOST: 'h' }), at);
    expect(r).toEqual({ value: { a: 'h:80', b: ['xh'] }, diagnostics: [] });
  });

  it('keeps $${ as a literal ${ and leaves other ${...} as written', () => {
    const r = interpolate({ cmd: 'echo $${env:X} ${HOME} ${1}' }, ctx(), at);
    expect(r.value).toEqual({ cmd: 'echo ${env:X} ${HOME} ${1}' });
    expect(r.diagnostics).toEqual([]);
  });

  it('reports a missing env variable without default at the string position', () => {
    const r = interpolate({ a: '${env:NOPE}' }, ctx(), at);
    expect(r.diagnostics).toMatchObject([{ code: 'missing-env', file: 'f.yaml', line: 3 }]);
    expect(r.diagnostics[0].message).toContain('NOPE');
  });

  it('marks a string built from a secret as sensitive from the moment it is read', () => {
    const r = interpolate({ url: 'postgres://u:${secret:PW}@db' }, ctx({ PW: 'hunter2' }), at);
    const v = (r.value as any).url as Sensitive;
    expect(v).toBeInstanceOf(Sensitive);
    expect(v.reveal()).toBe('postgres://u:hunter2@db');
    expect(JSON.stringify(r.value)).not.toContain('hunter2');
    expect(String(v)).toBe('(sensitive)');
    expect(inspect(r.value)).not.toContain('hunter2');
    expect(`${v}`).not.toContain('hunter2');
  });

  it('reports a missing secret without printing anything of it', () => {
    const r = interpolate({ t: '${secret:TOKEN}' }, ctx(), at);
    expect(r.diagnostics).toMatchObject([{ code: 'missing-secret' }]);
    expect(r.diagnostics[0].message).toContain('PLOY_SECRET_TOKEN');
  });

  it('needs no secret values in reference mode', () => {
    const r = interpolate({ t: 'Bearer ${secret:TOKEN}' }, { env: {}, secret: () => undefined, secrets: 'reference' }, at);
    expect(r.diagnostics).toEqual([]);
    expect(((r.value as any).t as Sensitive).template).toBe('Bearer ${secret:TOKEN}');
  });

  it('never interpolates keys', () => {
    expect(interpolate({ '${env:A}': 'x' }, ctx({}, { A: 'b' }), at).value).toEqual({ '${env:A}': 'x' });
  });
});
