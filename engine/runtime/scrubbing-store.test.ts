import { describe, expect, it } from 'vitest';
import { OutputTail } from '../executors/output-tail.js';
import { SecretScrubber } from '../load/secret-scrubber.js';
import type { Store } from '../ports/store.js';
import { scrubbingStore } from './scrubbing-store.js';

const SECRET = 'hunter2-very-secret';
const b64 = Buffer.from(SECRET).toString('base64');

/** A Store that only records what each method was called with. */
function recordingStore() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const store = new Proxy({} as Store, {
    get:
      (_, method: string) =>
      async (...args: unknown[]) => {
        calls.push({ method, args });
        return undefined;
      },
  });
  return { store, calls, args: (method: string) => calls.find((c) => c.method === method)?.args };
}

const at = new Date('2025-01-01T00:00:00Z');

describe('scrubbingStore', () => {
  it('masks a secret in job output and reasons, even when the program wrote it in two chunks', async () => {
    const { store, args } = recordingStore();
    const scrubbed = scrubbingStore(store, new SecretScrubber([SECRET]));
    const output = new OutputTail();
    output.write(`token=${SECRET.slice(0, 7)}`);
    output.write(`${SECRET.slice(7)}\n${b64}\n`);
    await scrubbed.finishOccurrences([
      {
        id: 1,
        status: 'failed',
        startedAt: at,
        finishedAt: at,
        attempt: 1,
        exitCode: 3,
        reason: `bad ${SECRET}`,
        output: output.text(),
      },
    ]);
    await scrubbed.updateOccurrence(2, { status: 'failed', output: SECRET, reason: SECRET });
    const [[finished]] = args('finishOccurrences') as [[{ output: string; reason: string }]];
    // Of a base64 form, the last character and the padding depend on what follows the value: they stay.
    expect(finished.output).toMatch(/^token=\(sensitive\)\n\(sensitive\)[A-Za-z0-9+/=]{0,3}\n$/);
    expect(finished.reason).toBe('bad (sensitive)');
    expect(args('updateOccurrence')).toEqual([2, { status: 'failed', output: '(sensitive)', reason: '(sensitive)' }]);
  });

  it('masks deploy errors, log tails, change results, events and delivery errors', async () => {
    const { store, calls } = recordingStore();
    const s = scrubbingStore(store, new SecretScrubber([SECRET]));
    await s.finishDeployment(1, { status: 'failed', finishedAt: at, error: `exit: ${SECRET}`, logTail: [`a ${SECRET}`, b64] });
    await s.recordChangeResult(
      1,
      {
        kind: 'App',
        name: 'web',
        action: 'create',
        status: 'failed',
        message: SECRET,
        detail: { logTail: [SECRET] },
        startedAt: at,
        finishedAt: at,
      },
      undefined,
    );
    await s.recordEvent({
      type: 'job.failed',
      resource: 'Job/x',
      message: `failed: ${SECRET}`,
      data: { outputTail: SECRET },
      at,
    });
    await s.updateDelivery(1, { status: 'failed', attempts: 1, error: `POST https://h/${encodeURIComponent(SECRET)}` });
    await s.recordHeartbeats([{ monitor: 'm', at, ok: false, error: SECRET, conditions: [] }]);
    expect(JSON.stringify(calls)).not.toContain(SECRET);
    expect(JSON.stringify(calls)).not.toContain(b64);
    expect(JSON.stringify(calls)).toContain('(sensitive)');
  });

  it('leaves the applied spec, names and hashes exactly as given: the next plan compares with them', async () => {
    const { store, args } = recordingStore();
    const s = scrubbingStore(store, new SecretScrubber([SECRET, 'web-app']));
    const applied = {
      put: {
        kind: 'App' as const,
        name: 'web-app',
        spec: { env: { A: SECRET } },
        specHash: 'h',
        revisionId: 1,
        appliedAt: at,
        protect: false,
      },
    };
    const result = {
      kind: 'App' as const,
      name: 'web-app',
      action: 'create' as const,
      status: 'succeeded' as const,
      startedAt: at,
      finishedAt: at,
    };
    await s.recordChangeResult(7, result, applied);
    const [id, recorded, put] = args('recordChangeResult')!;
    expect(id).toBe(7);
    expect(recorded).toEqual(result);
    expect(put).toBe(applied);
  });

  it('masks values it learns after it was made', async () => {
    const { store, args } = recordingStore();
    const scrubber = new SecretScrubber();
    const s = scrubbingStore(store, scrubber);
    scrubber.add([SECRET]);
    await s.recordEvent({ type: 'deploy.failed', message: SECRET, at });
    expect(args('recordEvent')).toEqual([{ type: 'deploy.failed', message: '(sensitive)', at }]);
  });
});
