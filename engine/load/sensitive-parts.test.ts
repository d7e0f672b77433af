import { describe, expect, it } from 'vitest';
import { type InterpolationContext, interpolate } from './interpolate.js';
import { Sensitive } from '../model/sensitive.js';

const at = () => ({ file: 'f.yaml', line: 1, column: 1 });
// Cast: the context gains settings over time (the env policy); these tests need only these.
const ctx = (secrets: Record<string, string>, env: Record<string, string> = {}) =>
  ({ env, envPolicy: 'any', secret: (n: string) => secrets[n], secrets: 'resolve' }) as unknown as InterpolationContext;

describe('the parts of a string built from secrets', () => {
  it('spell out text (env values and $${ resolved) and each secret with its name, in order', () => {
    const r = interpolate(
      { cmd: 'curl -H "Bearer ${secret:T}" ${env:HOST}/$${PATH}?k=${secret:K}${secret:T}' },
      ctx({ T: 'tok"en', K: 'k' }, { HOST: 'h' }),
      at,
    );
    const cmd = (r.value as { cmd: Sensitive }).cmd;
    expect(cmd.reveal()).toBe('curl -H "Bearer tok"en" h/${PATH}?k=ktok"en');
    expect(cmd.revealParts()).toEqual([
      'curl -H "Bearer ',
      { secret: 'T', value: 'tok"en' },
      '" h/${PATH}?k=',
      { secret: 'K', value: 'k' },
      { secret: 'T', value: 'tok"en' },
    ]);
  });

  it('count the whole value as one secret when the source text held a NUL of its own', () => {
    const r = interpolate({ cmd: 'a\u0000${secret:T}' }, ctx({ T: 'tok' }), at);
    const cmd = (r.value as { cmd: Sensitive }).cmd;
    expect(cmd.reveal()).toBe('a\u0000tok');
    expect(cmd.revealParts()).toEqual([{ secret: 'T', value: 'a\u0000tok' }]);
  });

  it('are never printed: JSON and String() still say (sensitive)', () => {
    const r = interpolate({ cmd: 'echo ${secret:T}' }, ctx({ T: 'hunter2' }), at);
    expect(JSON.stringify(r.value)).toBe('{"cmd":"(sensitive)"}');
    expect(String((r.value as { cmd: Sensitive }).cmd)).toBe('(sensitive)');
  });
});
