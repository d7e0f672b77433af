import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate } from './evaluator.js';
import { parseCondition } from './parser.js';
import { placeholdersOf } from './placeholders.js';
import type { ConditionAst, ConditionContext, EvaluateOptions } from './types.js';

function parse(text: string): ConditionAst {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`"${text}" does not parse: ${result.error}`);
  return result.ast;
}

function check(text: string, ctx: ConditionContext, options?: EvaluateOptions) {
  return evaluate(parse(text), ctx, options);
}

const passes = (text: string, ctx: ConditionContext) => check(text, ctx).success;

describe('evaluate: operators', () => {
  it('compares with == and != on numbers and text', () => {
    expect(passes('[STATUS] == 200', { status: 200 })).toBe(true);
    expect(passes('[STATUS] != 200', { status: 200 })).toBe(false);
    expect(passes('[DNS_RCODE] == NOERROR', { dnsRcode: 'NOERROR' })).toBe(true);
    expect(passes('[DNS_RCODE] != NOERROR', { dnsRcode: 'NXDOMAIN' })).toBe(true);
  });

  it('compares with < <= > >= on numbers, boundaries included', () => {
    const ctx = { status: 300 };
    expect(passes('[STATUS] < 300', ctx)).toBe(false);
    expect(passes('[STATUS] <= 300', ctx)).toBe(true);
    expect(passes('[STATUS] > 300', ctx)).toBe(false);
    expect(passes('[STATUS] >= 300', ctx)).toBe(true);
    expect(passes('[STATUS] > 299', ctx)).toBe(true);
  });

  it('compares text exactly and case-sensitively with ==', () => {
    expect(passes('[BODY].status == UP', { body: '{"status":"up"}' })).toBe(false);
    expect(passes('[CONNECTED] == TRUE', { connected: true })).toBe(false);
  });

  it('compares integers by value with ==, whatever their base or leading sign', () => {
    expect(passes('[BODY].n == 16', { body: '{"n":"0x10"}' })).toBe(true);
    expect(passes('[BODY].n == +5', { body: '{"n":5}' })).toBe(true);
  });

  it('compares decimals as text with ==, as Gatus does', () => {
    expect(passes('[BODY].price == 24.99', { body: '{"price":24.99}' })).toBe(true);
    expect(passes('[BODY].price == 24.990', { body: '{"price":24.99}' })).toBe(false);
  });

  it('compares large JSON integers by their digits, not in exponent form', () => {
    expect(passes('[BODY].id == 1234567', { body: '{"id":1234567}' })).toBe(true);
  });

  it('compares decimals exactly with ordering operators', () => {
    expect(passes('[BODY].load < 0.75', { body: '{"load":0.5}' })).toBe(true);
    expect(passes('[BODY].balance > 123', { body: '{"balance":123.4}' })).toBe(true);
  });

  it('can compare two placeholders', () => {
    expect(passes('[BODY].age == [BODY].id', { body: '{"age":1,"id":1}' })).toBe(true);
    expect(passes('[STATUS] == [BODY].status', { status: 200, body: '{"status":200}' })).toBe(true);
  });

  it('compares two literals', () => {
    expect(passes('raw == raw', {})).toBe(true);
    expect(passes('1 == 2', {})).toBe(false);
    expect(passes('1 < 2', {})).toBe(true);
  });
});

describe('evaluate: durations', () => {
  const day = 24 * 3_600_000;

  it('compares durations as milliseconds', () => {
    expect(passes('[CERTIFICATE_EXPIRATION] > 48h', { certificateExpirationMs: 3 * day })).toBe(true);
    expect(passes('[CERTIFICATE_EXPIRATION] > 48h', { certificateExpirationMs: day })).toBe(false);
    expect(passes('[RESPONSE_TIME] < 1s', { responseTimeMs: 999 })).toBe(true);
    expect(passes('[RESPONSE_TIME] < 1s', { responseTimeMs: 1000 })).toBe(false);
    expect(passes('[RESPONSE_TIME] <= 1m30s', { responseTimeMs: 90_000 })).toBe(true);
  });

  it('treats a plain number as milliseconds', () => {
    expect(passes('[RESPONSE_TIME] < 800', { responseTimeMs: 799 })).toBe(true);
    expect(passes('[CERTIFICATE_EXPIRATION] > 172800000', { certificateExpirationMs: 3 * day })).toBe(true);
  });

  it('accepts days, which Ploy durations use and Go durations lack', () => {
    expect(passes('[CERTIFICATE_EXPIRATION] > 2d', { certificateExpirationMs: 3 * day })).toBe(true);
    expect(passes('[CERTIFICATE_EXPIRATION] > 7d', { certificateExpirationMs: 3 * day })).toBe(false);
  });

  it('compares durations found in a body', () => {
    expect(passes('[BODY].uptime > 1h', { body: '{"uptime":"90m"}' })).toBe(true);
  });

  it('checks the domain expiration', () => {
    expect(passes('[DOMAIN_EXPIRATION] > 720h', { domainExpirationMs: 4000 * 3_600_000 })).toBe(true);
    expect(check('[DOMAIN_EXPIRATION] > 720h', { domainExpirationMs: day }).resolved).toBe('[DOMAIN_EXPIRATION] (24h) > 720h');
  });

  it('does not treat durations as equal to their milliseconds with ==, like Gatus', () => {
    expect(passes('[RESPONSE_TIME] == 1s', { responseTimeMs: 1000 })).toBe(false);
    expect(passes('[RESPONSE_TIME] == 1000', { responseTimeMs: 1000 })).toBe(true);
  });
});

describe('evaluate: functions', () => {
  it('len() counts the elements of an array', () => {
    expect(passes('len([BODY].data) == 3', { body: '{"data":[1,2,3]}' })).toBe(true);
    expect(passes('len([BODY]) == 2', { body: '[{"id":1},{"id":2}]' })).toBe(true);
  });

  it('len() counts the characters of a string, not its bytes', () => {
    expect(passes('len([BODY].name) == 8', { body: '{"name":"john.doe"}' })).toBe(true);
    expect(passes('len([BODY].name) == 4', { body: '{"name":"Zoë😀"}' })).toBe(true);
  });

  it('len() of a whole non-array body counts its characters as received', () => {
    expect(passes('len([BODY]) == 20', { body: '{"name": "john.doe"}' })).toBe(true);
    expect(passes('len([BODY]) == 2', { body: 'ok\n' })).toBe(true);
  });

  it('len() of other placeholders counts the characters of their value', () => {
    expect(passes('len([IP]) == 9', { ip: '127.0.0.1' })).toBe(true);
    expect(passes('len([STATUS]) == 3', { status: 200 })).toBe(true);
  });

  it('has() tells whether a JSON path finds a value', () => {
    expect(passes('has([BODY].errors) == false', { body: '{}' })).toBe(true);
    expect(passes('has([BODY].errors) == true', { body: '{"errors":[]}' })).toBe(true);
    expect(passes('has([BODY].errors) == false', { body: '{"errors":null}' })).toBe(true);
    expect(passes('has([BODY].users[0].name) == true', { body: '{"users":[{"name":"a"}]}' })).toBe(true);
  });

  it('has() of a placeholder without a path tells whether it has a value', () => {
    expect(passes('has([BODY]) == false', { body: '  ' })).toBe(true);
    expect(passes('has([IP]) == true', { ip: '10.0.0.1' })).toBe(true);
    expect(passes('has([IP]) == false', {})).toBe(true);
  });

  it('pat() matches a glob with *, on either side', () => {
    expect(passes('[BODY] == pat(*healthy*)', { body: 'status: healthy' })).toBe(true);
    expect(passes('pat(*healthy*) == [BODY]', { body: 'status: unhealthy' })).toBe(true);
    expect(passes('[BODY] == pat(*healthy*)', { body: 'status: down' })).toBe(false);
  });

  it('pat() negates with !=', () => {
    expect(passes('[BODY] != pat(*error*)', { body: 'all good' })).toBe(true);
    expect(passes('[BODY] != pat(*error*)', { body: 'an error' })).toBe(false);
  });

  it('pat() supports ? and character classes like Go globs', () => {
    expect(passes('[STATUS] == pat(2??)', { status: 204 })).toBe(true);
    expect(passes('[STATUS] == pat([45]*)', { status: 503 })).toBe(true);
    expect(passes('[STATUS] == pat([^45]*)', { status: 503 })).toBe(false);
  });

  it('any() passes when the value equals one of the options', () => {
    expect(passes('[STATUS] == any(200, 201)', { status: 201 })).toBe(true);
    expect(passes('[STATUS] == any(200, 201)', { status: 204 })).toBe(false);
    expect(passes('[STATUS] != any(500, 502, 503)', { status: 200 })).toBe(true);
    expect(passes('[BODY].ip == any(127.0.0.1, ::1)', { body: '{"ip":"::1"}' })).toBe(true);
  });
});

describe('evaluate: missing values', () => {
  it('treats a missing JSON path as a failed condition', () => {
    expect(check('[BODY].data.name == john', { body: '{"data":{"id":1}}' })).toEqual({
      success: false,
      resolved: '[BODY].data.name (INVALID) == john',
    });
  });

  it('fails a missing JSON path whatever the operator, unlike Gatus', () => {
    const ctx = { body: '{}' };
    expect(passes('[BODY].count < 5', ctx)).toBe(false);
    expect(passes('[BODY].status != DOWN', ctx)).toBe(false);
    expect(passes('[BODY].status == pat(*)', ctx)).toBe(false);
    expect(passes('[BODY].status != any(a, b)', ctx)).toBe(false);
    expect(passes('len([BODY].items) < 5', ctx)).toBe(false);
  });

  it('fails an ordering comparison on a value that is not a number', () => {
    expect(check('[BODY].count < 10', { body: '{"count":"n/a"}' })).toEqual({
      success: false,
      resolved: '[BODY].count (n/a) < 10',
    });
  });

  it('resolves absent probe fields to zero values, as Gatus does', () => {
    expect(check('[STATUS] == 200', {}).resolved).toBe('[STATUS] (0) == 200');
    expect(check('[CONNECTED] == true', {}).resolved).toBe('[CONNECTED] (false) == true');
    expect(passes('[CERTIFICATE_EXPIRATION] == 0', {})).toBe(true);
    expect(passes('[BODY] == pat()', {})).toBe(true);
  });

  it('treats every JSON path as missing when the body is not JSON', () => {
    expect(check('[BODY].status == UP', { body: '<html>' }).resolved).toBe('[BODY].status (INVALID) == UP');
  });
});

describe('evaluate: resolved text', () => {
  it('shows the value of each placeholder in parentheses', () => {
    expect(check('[STATUS] == 200', { status: 503 }).resolved).toBe('[STATUS] (503) == 200');
    expect(check('[BODY].a != [BODY].b', { body: '{"a":1,"b":1}' }).resolved).toBe('[BODY].a (1) != [BODY].b (1)');
    expect(check('len([BODY].data) == 1', { body: '{}' }).resolved).toBe('len([BODY].data) (INVALID) == 1');
  });

  it('resolves passed conditions too by default, and can leave them as written like Gatus', () => {
    expect(check('[STATUS] == 200', { status: 200 }).resolved).toBe('[STATUS] (200) == 200');
    expect(check('[STATUS] == 200', { status: 200 }, { resolveSuccessful: false }).resolved).toBe('[STATUS] == 200');
    expect(check('[STATUS] == 200', { status: 500 }, { resolveFailed: false }).resolved).toBe('[STATUS] == 200');
  });

  it('normalises spacing around the operator in the resolved text', () => {
    expect(check('[STATUS]   ==\t200', { status: 503 }).resolved).toBe('[STATUS] (503) == 200');
  });

  it('shows certificate expiration as a duration in ordering comparisons', () => {
    const ms = 14 * 24 * 3_600_000 + 90 * 60_000;
    expect(check('[CERTIFICATE_EXPIRATION] > 720h', { certificateExpirationMs: ms }).resolved).toBe(
      '[CERTIFICATE_EXPIRATION] (337h30m) > 720h',
    );
  });

  it('shows the raw response time in milliseconds', () => {
    expect(check('[RESPONSE_TIME] < 1s', { responseTimeMs: 1234.7 }).resolved).toBe('[RESPONSE_TIME] (1234) < 1s');
  });

  it('truncates a long value compared with pat() to 25 characters, as Gatus does', () => {
    const body = 'a'.repeat(30);
    expect(check('[BODY] == pat(b*)', { body }).resolved).toBe(`[BODY] (${'a'.repeat(25)}...(truncated)) == pat(b*)`);
  });

  it('caps any other long value so a large body does not flood results', () => {
    const resolved = check('[BODY] == ok', { body: 'x'.repeat(10_000) }).resolved;
    expect(resolved).toBe(`[BODY] (${'x'.repeat(200)}...(truncated)) == ok`);
  });
});

describe('evaluate: body parsing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses the body as JSON once per probe result, however many conditions read it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const ctx = { body: '{"a":1,"b":[1,2]}' };
    for (const text of ['[BODY].a == 1', 'len([BODY].b) == 2', 'has([BODY].c) == false']) {
      expect(check(text, ctx).success).toBe(true);
    }
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('does not parse the body when no condition needs a JSON path', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(passes('[BODY] == pat(*ok*)', { body: '{"ok":true}' })).toBe(true);
    expect(parse).not.toHaveBeenCalled();
  });
});

describe('placeholdersOf', () => {
  it('lists the placeholders a condition reads, inside functions too', () => {
    expect([...placeholdersOf(parse('[STATUS] == 200'))]).toEqual(['STATUS']);
    expect([...placeholdersOf(parse('len([BODY].items) > [STATUS]'))].sort()).toEqual(['BODY', 'STATUS']);
    expect([...placeholdersOf(parse('has([BODY]) == true'))]).toEqual(['BODY']);
  });

  it('lists nothing for a condition made only of literals and matchers', () => {
    expect(placeholdersOf(parse('1 == any(1, 2)')).size).toBe(0);
  });

  it('tells a probe that no body is needed when no condition uses [BODY]', () => {
    const asts = ['[STATUS] == 200', '[RESPONSE_TIME] < 800'].map(parse);
    expect(asts.some((a) => placeholdersOf(a).has('BODY'))).toBe(false);
  });
});
