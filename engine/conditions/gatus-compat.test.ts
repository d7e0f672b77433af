/**
 * Gatus's own examples: the conditions table of its README (passing and failing values) and the
 * scenarios of its condition tests, with the display Gatus produces by default (values shown in
 * failed conditions only). Where Ploy deliberately differs, the last block says how and why.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluator.js';
import { parseCondition } from './parser.js';
import type { ConditionContext, EvaluationResult } from './types.js';

const HOUR = 3_600_000;

function gatus(text: string, ctx: ConditionContext, resolveSuccessful = false): EvaluationResult {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(`"${text}" does not parse: ${parsed.error}`);
  return evaluate(parsed.ast, ctx, { resolveSuccessful });
}

type Example = [condition: string, passing: ConditionContext[], failing: ConditionContext[]];
const json = (value: unknown): ConditionContext => ({ body: JSON.stringify(value) });

const README_TABLE: Example[] = [
  ['[STATUS] == 200', [{ status: 200 }], [{ status: 201 }, { status: 404 }]],
  ['[STATUS] < 300', [{ status: 200 }, { status: 201 }, { status: 299 }], [{ status: 301 }, { status: 302 }]],
  ['[STATUS] <= 299', [{ status: 200 }, { status: 201 }, { status: 299 }], [{ status: 301 }, { status: 302 }]],
  ['[STATUS] > 400', [{ status: 401 }, { status: 404 }], [{ status: 400 }, { status: 200 }]],
  ['[STATUS] == any(200, 429)', [{ status: 200 }, { status: 429 }], [{ status: 201 }, { status: 400 }]],
  ['[CONNECTED] == true', [{ connected: true }], [{ connected: false }]],
  [
    '[RESPONSE_TIME] < 500',
    [{ responseTimeMs: 100 }, { responseTimeMs: 300 }],
    [{ responseTimeMs: 500 }, { responseTimeMs: 501 }],
  ],
  ['[IP] == 127.0.0.1', [{ ip: '127.0.0.1' }], [{ ip: '0.0.0.0' }]],
  ['[BODY] == 1', [{ body: '1' }], [{ body: '{}' }, { body: '2' }]],
  ['[BODY].user.name == john', [json({ user: { name: 'john' } })], [json({ user: { name: 'jane' } })]],
  ['[BODY].data[0].id == 1', [json({ data: [{ id: 1 }] })], [json({ data: [{ id: 2 }] })]],
  ['[BODY].age == [BODY].id', [json({ age: 1, id: 1 })], [json({ age: 1, id: 2 })]],
  ['len([BODY].data) < 5', [json({ data: [{ id: 1 }] })], [json({ data: [1, 2, 3, 4, 5] })]],
  ['len([BODY].name) == 8', [json({ name: 'john.doe' })], [json({ name: 'bob' })]],
  ['has([BODY].errors) == false', [json({ name: 'john.doe' })], [json({ errors: [] })]],
  ['has([BODY].users) == true', [json({ users: [] })], [json({})]],
  ['[BODY].name == pat(john*)', [json({ name: 'john.doe' })], [json({ name: 'bob' })]],
  ['[BODY].id == any(1, 2)', [json({ id: 1 }), json({ id: 2 })], [json({ id: 3 }), json({ id: 4 }), json({ id: 5 })]],
  [
    '[CERTIFICATE_EXPIRATION] > 48h',
    [{ certificateExpirationMs: 49 * HOUR }, { certificateExpirationMs: 123 * HOUR }],
    [{ certificateExpirationMs: HOUR }, { certificateExpirationMs: 24 * HOUR }],
  ],
  ['[DOMAIN_EXPIRATION] > 720h', [{ domainExpirationMs: 4000 * HOUR }], [{ domainExpirationMs: 24 * HOUR }]],
  // From the functions table and the DNS section.
  ['len([BODY].username) > 8', [json({ username: 'john.doe.1' })], [json({ username: 'john' })]],
  ['[IP] == pat(192.168.*)', [{ ip: '192.168.0.232' }], [{ ip: '10.0.0.1' }]],
  ['[BODY].ip == any(127.0.0.1, ::1)', [json({ ip: '::1' })], [json({ ip: '10.0.0.1' })]],
  ['[DNS_RCODE] == NOERROR', [{ dnsRcode: 'NOERROR' }], [{ dnsRcode: 'NXDOMAIN' }]],
];

describe("Gatus's documented condition examples", () => {
  for (const [condition, passing, failing] of README_TABLE) {
    it(`passes and fails ${condition} on the values Gatus documents`, () => {
      for (const ctx of passing) expect(gatus(condition, ctx).success, JSON.stringify(ctx)).toBe(true);
      for (const ctx of failing) expect(gatus(condition, ctx).success, JSON.stringify(ctx)).toBe(false);
    });
  }
});

const HTML_JANE =
  '<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head><body><div id="user">jane.doe</div></body></html>';

/** [condition, context, success, what Gatus displays] from Gatus's condition tests. */
const GATUS_SCENARIOS: Array<[string, ConditionContext, boolean, string]> = [
  ['[STATUS] == 200', { status: 500 }, false, '[STATUS] (500) == 200'],
  ['[STATUS] < 300', { status: 404 }, false, '[STATUS] (404) < 300'],
  ['[RESPONSE_TIME] < 1s', { responseTimeMs: 50 }, true, '[RESPONSE_TIME] < 1s'],
  ['[RESPONSE_TIME] > 1s', { responseTimeMs: 2000 }, true, '[RESPONSE_TIME] > 1s'],
  ['[RESPONSE_TIME] >= 500', { responseTimeMs: 499 }, false, '[RESPONSE_TIME] (499) >= 500'],
  ['[RESPONSE_TIME] <= 500', { responseTimeMs: 750 }, false, '[RESPONSE_TIME] (750) <= 500'],
  ['[BODY] == test', { body: 'test' }, true, '[BODY] == test'],
  ['[BODY] < 124', { body: '123' }, true, '[BODY] < 124'],
  ['[BODY] > 123', { body: '100' }, false, '[BODY] (100) > 123'],
  ['[BODY].data.name == john', { body: '{"data": {"id": 1}}' }, false, '[BODY].data.name (INVALID) == john'],
  ['len([BODY].data.name) == john', { body: '{"data": {"id": 1}}' }, false, 'len([BODY].data.name) (INVALID) == john'],
  [
    '[BODY].user.firstName == [BODY].user.lastName',
    json({ user: { firstName: 'john', lastName: 'doe' } }),
    false,
    '[BODY].user.firstName (john) == [BODY].user.lastName (doe)',
  ],
  ['[BODY][0].id == 1', { body: '[{"id": 1}, {"id": 2}]' }, true, '[BODY][0].id == 1'],
  ['[BODY].data == OK', { body: '{"data": null}' }, false, '[BODY].data (INVALID) == OK'],
  ['[BODY].items[0] == OK', { body: '{"items": [null, null]}' }, false, '[BODY].items[0] (INVALID) == OK'],
  ['[BODY].data == OK', { body: 'null' }, false, '[BODY].data (INVALID) == OK'],
  [
    '[BODY][0].name == test',
    json({ statusCode: 500, message: 'Internal Server Error' }),
    false,
    '[BODY][0].name (INVALID) == test',
  ],
  ['[BODY].data[1].id == 2', json({ data: [{ id: 1 }, { id: 2 }, { id: 3 }] }), true, '[BODY].data[1].id == 2'],
  ['[BODY].data > 0', json({ data: '0x1' }), true, '[BODY].data > 0'],
  ['[BODY].data == 1', json({ data: '0x1' }), true, '[BODY].data == 1'],
  ['[BODY].data == 0x1', json({ data: '0x1' }), true, '[BODY].data == 0x1'],
  ['[BODY].data == 15', json({ data: '0xF' }), true, '[BODY].data == 15'],
  ['[BODY].data == 12648243', json({ data: '0xC0ff33' }), true, '[BODY].data == 12648243'],
  ['len([BODY].data) == 4', json({ data: '0x01' }), true, 'len([BODY].data) == 4'],
  ['[BODY].data == 2', json({ data: '0o2' }), true, '[BODY].data == 2'],
  ['[BODY].data == 0b10', json({ data: '0b0010' }), true, '[BODY].data == 0b10'],
  ['[BODY].data.id > 5', json({ data: { id: 1 } }), false, '[BODY].data.id (1) > 5'],
  ['[BODY].balance > 100', json({ balance: '123.40000000000005' }), true, '[BODY].balance > 100'],
  ['[CONNECTED] == true', { connected: false }, false, '[CONNECTED] (false) == true'],
  ['[CERTIFICATE_EXPIRATION] == 0', {}, true, '[CERTIFICATE_EXPIRATION] == 0'],
  [
    '[CERTIFICATE_EXPIRATION] > 2419200000',
    { certificateExpirationMs: 14 * 24 * HOUR },
    false,
    '[CERTIFICATE_EXPIRATION] (336h) > 2419200000',
  ],
  ['[CERTIFICATE_EXPIRATION] > 48h', { certificateExpirationMs: 24 * HOUR }, false, '[CERTIFICATE_EXPIRATION] (24h) > 48h'],
  ['1 == 2', {}, false, '1 == 2'],
  ['len([BODY]) == 3', { body: '[{"id": 1}, {"id": 2}, {"id": 3}]' }, true, 'len([BODY]) == 3'],
  ['len([BODY].data) == 8', json({ name: 'john.doe' }), false, 'len([BODY].data) (INVALID) == 8'],
  ['len([BODY]) == 8', { body: 'john.doe' }, true, 'len([BODY]) == 8'],
  ['len([BODY].age) == 2', json({ age: 18 }), true, 'len([BODY].age) == 2'],
  ['len([BODY].adult) == 4', json({ adult: true }), true, 'len([BODY].adult) == 4'],
  ['len([BODY][0]) == 23', { body: '[{"age":18,"adult":true}]' }, true, 'len([BODY][0]) == 23'],
  ['len([BODY]) == 20', { body: '{"name": "john.doe"}' }, true, 'len([BODY]) == 20'],
  ['[BODY] == pat(*john*)', json({ name: 'john.doe' }), true, '[BODY] == pat(*john*)'],
  ['[BODY].name == pat(bob*)', json({ name: 'john.doe' }), false, '[BODY].name (john.doe) == pat(bob*)'],
  [
    '[BODY] == pat(*<div id="user">john.doe</div>*)',
    { body: HTML_JANE },
    false,
    '[BODY] (<!DOCTYPE html><html lang...(truncated)) == pat(*<div id="user">john.doe</div>*)',
  ],
  [
    'pat(*<div id="user">john.doe</div>*) == [BODY]',
    { body: HTML_JANE },
    false,
    'pat(*<div id="user">john.doe</div>*) == [BODY] (<!DOCTYPE html><html lang...(truncated))',
  ],
  ['[BODY].data == pat(*Whatever*)', json({ data: ['hello', 'world', 'Whatever'] }), true, '[BODY].data == pat(*Whatever*)'],
  ['[IP] == pat(10.*)', { ip: '255.255.255.255' }, false, '[IP] (255.255.255.255) == pat(10.*)'],
  ['[STATUS] == pat(4*)', { status: 404 }, true, '[STATUS] == pat(4*)'],
  ['[BODY].name == any(john.doe, jane.doe)', json({ name: 'bob' }), false, '[BODY].name (bob) == any(john.doe, jane.doe)'],
  ['any(200, 429) == [STATUS]', { status: 429 }, true, 'any(200, 429) == [STATUS]'],
  ['has([BODY].errors) == false', json({ errors: ['1'] }), false, 'has([BODY].errors) (true) == false'],
];

describe("Gatus's condition test scenarios", () => {
  for (const [condition, ctx, success, display] of GATUS_SCENARIOS) {
    it(`${success ? 'passes' : 'fails'} ${condition} and shows ${display}`, () => {
      expect(gatus(condition, ctx)).toEqual({ success, resolved: display });
    });
  }

  it('shows values of a passed condition when asked, as ui.resolve-successful-conditions does', () => {
    expect(gatus('[BODY].status == UP', json({ status: 'UP' }), true).resolved).toBe('[BODY].status (UP) == UP');
  });
});

describe('where Ploy deliberately differs from Gatus', () => {
  it('rejects a non-numeric literal in an ordering comparison (Gatus compares it as 0)', () => {
    expect(parseCondition('[RESPONSE_TIME] < potato').ok).toBe(false);
  });

  it('rejects an unknown placeholder (Gatus compares the text "[FOO]")', () => {
    expect(parseCondition('[FOO] == [FOO]').ok).toBe(false);
  });

  it('fails a missing JSON path with < (Gatus resolves it to 0 and passes)', () => {
    expect(gatus('[BODY].count < 5', json({})).success).toBe(false);
  });

  it('reads days in durations (Go has no d unit, so Gatus reads 2d as 0)', () => {
    expect(gatus('[CERTIFICATE_EXPIRATION] > 2d', { certificateExpirationMs: 24 * HOUR }).success).toBe(false);
  });

  it('treats a key after an array as missing (Gatus returns the whole array)', () => {
    expect(gatus('[BODY].data.id == 1', json({ data: [{ id: 1 }] })).success).toBe(false);
  });

  it('shows JSON arrays as JSON (Gatus prints them Go-style, as [a b c])', () => {
    expect(gatus('[BODY].tags == x', json({ tags: ['a', 'b'] })).resolved).toBe('[BODY].tags (["a","b"]) == x');
  });
});
