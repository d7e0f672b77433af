import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../load/secret-scrubber.js';
import { scrubbedDestination, scrubbedOutput } from './scrubbed-output.js';

const SECRET = 'db-pass"with\\quotes';

describe('scrubbedDestination', () => {
  it('masks a secret in the message, the fields, an error and child bindings, and keeps each line valid JSON', () => {
    const lines: string[] = [];
    const scrubber = new SecretScrubber([SECRET]);
    const log = pino({ base: undefined }, scrubbedDestination(scrubber, { write: (l) => lines.push(l) }));
    const child = log.child({ url: `postgres://u:${encodeURIComponent(SECRET)}@db/x` });
    child.error({ err: new Error(`auth failed for ${SECRET}`), output: `printed ${SECRET}` }, `cannot connect: ${SECRET}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('db-pass');
    const entry = JSON.parse(lines[0]);
    expect(entry.msg).toBe('cannot connect: (sensitive)');
    expect(entry.output).toBe('printed (sensitive)');
    expect(entry.err.message).toBe('auth failed for (sensitive)');
    expect(entry.url).toBe('postgres://u:(sensitive)@db/x');
  });
});

describe('scrubbedOutput', () => {
  it('masks a secret in what a command prints', () => {
    let printed = '';
    const out = scrubbedOutput({ write: (t: string) => (printed += t), isTTY: true }, new SecretScrubber([SECRET]));
    out.write(`value: ${SECRET}\n`);
    expect(printed).toBe('value: (sensitive)\n');
    expect(out.isTTY).toBe(true);
  });
});
