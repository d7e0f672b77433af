import { describe, expect, it } from 'vitest';
import { allowEntryProblem, defaultEnvPolicy, envPolicy, type EnvPolicy } from './env-policy.js';

const check = (p: EnvPolicy, name: string) => (p === 'any' ? 'allowed' : p.check(name));

describe('envPolicy', () => {
  it('allows PLOY_VAR_* and nothing else by default', () => {
    const p = defaultEnvPolicy();
    expect(check(p, 'PLOY_VAR_REGION')).toBe('allowed');
    expect(check(p, 'REGION')).toBe('not-allowed');
    expect(check(p, 'HOME')).toBe('not-allowed');
  });

  it('allows listed names and prefixes', () => {
    const p = envPolicy({ allow: ['REGION', 'APP_*'], reserved: [] });
    expect(check(p, 'REGION')).toBe('allowed');
    expect(check(p, 'REGION2')).toBe('not-allowed');
    expect(check(p, 'APP_MODE')).toBe('allowed');
    expect(check(p, 'APPX')).toBe('not-allowed');
  });

  it("never allows Ploy's own settings or a variable the config reads for a credential, even under *", () => {
    const p = envPolicy({ allow: ['*', 'PLOY_API_TOKEN', 'DATABASE_URL'], reserved: ['HOOK_SECRET'] });
    for (const name of ['PLOY_SECRET_X', 'PLOY_API_TOKEN', 'PLOY_STORE_URL', 'DATABASE_URL', 'PLOY_DEBUG', 'HOOK_SECRET'])
      expect(check(p, name), name).toBe('reserved');
    expect(check(p, 'ANYTHING')).toBe('allowed');
  });
});

describe('allowEntryProblem', () => {
  it("refuses entries that name Ploy's own settings, and accepts the rest", () => {
    for (const bad of ['PLOY_SECRET_*', 'PLOY_*', 'PLOY_API_TOKEN', 'DATABASE_URL', 'PLOY_STORE_URL'])
      expect(allowEntryProblem(bad), bad).toContain('cannot list');
    for (const ok of ['REGION', 'APP_*', '*', 'PLOY_VAR_X', 'PLOY_VAR_*']) expect(allowEntryProblem(ok), ok).toBeUndefined();
  });
});
