import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector', () => {
  const labels = { env: 'prod', tier: 'web', team: 'ops' };
  it.each([
    ['env=prod', true],
    ['env==prod', true],
    ['env!=prod', false],
    ['env=prod,tier=web', true],
    ['env=prod,tier=db', false],
    ['team', true],
    ['!team', false],
    ['!legacy', true],
    ['tier in (web, api)', true],
    ['tier notin (web,api)', false],
    ['zone notin (a)', true],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('refuses a malformed selector with the part that is wrong', () => {
    expect(() => parseLabelSelector('env=prod,=x')).toThrow(/"=x" is not a label key/);
  });
});
