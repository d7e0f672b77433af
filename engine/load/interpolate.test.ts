import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envPolicy } from './env-policy.js';
import { interpolate } from './interpolate.js';
import { Sensitive } from '../model/sensitive.js';

const at = () => ({ file: 'f.yaml', line: 3, column: 5 });
const ctx = (secrets: Record<string, string> = {}, env: Record<string, string> = {}) => ({
  env,
  envPolicy: 'any' as const,
  secret: (n: string) => secrets[n],
  secrets: 'resolve' as const,
});

describe('interpolate', () => {
  it('replaces env variables and defaults', () => {
    const r = interpolate({ a: '${env:HOST}:${env:PORT:-80}', b: ['x${env:HOST}'] }, ctx({}, { HOST: 'h' }), at);
    expect(r).toEqual({ value: { a: 'h:80', b: ['xh'] }, diagnostics: [], byReference: [] });
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
    const r = interpolate(
      { t: 'Bearer ${secret:TOKEN}' },
      { env: {}, envPolicy: 'any', secret: () => undefined, secrets: 'reference' },
      at,
    );
    expect(r.diagnostics).toEqual([]);
    expect(((r.value as any).t as Sensitive).template).toBe('Bearer ${secret:TOKEN}');
  });

  it('keeps ${env:NAME} as written in reference mode, even when the variable is set, and says which fields it kept', () => {
    const r = interpolate(
      { a: 'https://${env:PLOY_VAR_HOST}/x', b: 'plain', c: '${env:PLOY_VAR_UNSET}' },
      {
        env: { PLOY_VAR_HOST: 'h.internal' },
        envPolicy: envPolicy({ allow: [], reserved: [] }),
        secret: () => undefined,
        secrets: 'reference',
      },
      (path) => ({ file: 'f.yaml', line: path[0] === 'a' ? 1 : 3, column: 1 }),
    );
    expect(r.value).toEqual({ a: 'https://${env:PLOY_VAR_HOST}/x', b: 'plain', c: '${env:PLOY_VAR_UNSET}' });
    expect(r.diagnostics).toEqual([]);
    expect(r.byReference.map((p) => p.line)).toEqual([1, 3]);
  });

  it('refuses a variable the policy does not allow, set or not, with how to allow it', () => {
    const policy = envPolicy({ allow: ['REGION', 'APP_*'], reserved: ['HOOK_SECRET'] });
    const env = {
      REGION: 'eu',
      APP_MODE: 'x',
      DEPLOY_TOKEN: 'tok-123456',
      HOOK_SECRET: 'hook-123456',
      PLOY_API_TOKEN: 'api-123456',
    };
    const r = interpolate(
      { ok: '${env:REGION}-${env:APP_MODE}', a: '${env:DEPLOY_TOKEN}', b: '${env:HOOK_SECRET}', c: '${env:PLOY_API_TOKEN:-x}' },
      { env, envPolicy: policy, secret: () => undefined, secrets: 'resolve' },
      at,
    );
    expect(r.value).toEqual({ ok: 'eu-x', a: '', b: '', c: '' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['env-not-allowed', 'env-not-allowed', 'env-not-allowed']);
    expect(r.diagnostics[0].message).toContain('env: {allow: [DEPLOY_TOKEN]}');
    expect(r.diagnostics[2].message).toContain("Ploy's own settings");
    expect(JSON.stringify(r)).not.toMatch(/tok-|hook-|api-/);
  });

  it('never interpolates keys', () => {
    expect(interpolate({ '${env:A}': 'x' }, ctx({}, { A: 'b' }), at).value).toEqual({ '${env:A}': 'x' });
  });
});
