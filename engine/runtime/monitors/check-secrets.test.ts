import { describe, expect, it } from 'vitest';
import { Sensitive } from '../../model/sensitive.js';
import { runCheck } from './check.js';
import { compileMonitor } from './compiled-monitor.js';

/**
 * A probe's error quotes what it was given; a URL from `${secret:..}` must not reach the
 * heartbeat (history, API, notifications) through it.
 */
describe('a check of a monitor whose URL is a secret', () => {
  it('records the resolver error without the secret host, or the URL', async () => {
    const url = new Sensitive('http://private-host-7f3a.invalid:8080/health?key=hunter2', '${secret:HEALTH_URL}', ['HEALTH_URL']);
    const m = compileMonitor('private', { http: { url }, timeout: '3s', conditions: ['[STATUS] == 200'] }, 'h')!;
    const beat = await runCheck(m, { now: () => new Date(), signal: new AbortController().signal, watchedSince: new Date() });
    expect(beat.ok).toBe(false);
    const recorded = JSON.stringify(beat);
    expect(recorded).toContain('(sensitive)');
    expect(recorded).not.toContain('private-host-7f3a');
    expect(recorded).not.toContain('hunter2');
  });
});
