import { describe, expect, it } from 'vitest';
import { hmacDigest } from '../../kinds/digest.js';
import { isSensitive, redact, Sensitive } from '../../model/sensitive.js';
import { runnableJob } from './runnable-job.js';

const digest = hmacDigest(new Uint8Array(32));
const secret = (value: string, name = 'T') => new Sensitive(value, `\${secret:${name}}`, [name], [{ secret: name, value }]);

function job(desired: Record<string, unknown>) {
  const applied = {
    kind: 'Job' as const,
    name: 'j',
    spec: redact(desired, digest),
    specHash: 'h',
    revisionId: 1,
    appliedAt: new Date(0),
    protect: false,
  };
  const r = runnableJob(applied, desired, digest);
  if ('error' in r || !r.revealed) throw new Error('not runnable');
  return r.revealed;
}

describe('runnableJob', () => {
  it('keeps a command that holds a secret as a Sensitive, for the runner to pass by reference', () => {
    const revealed = job({ schedule: '@daily', shell: { command: secret('v1'), env: { TOKEN: secret('v2', 'E') } } });
    if (revealed.type !== 'shell') throw new Error(revealed.type);
    expect(isSensitive(revealed.shell.command)).toBe(true);
    // Everything else is revealed, as before: env is the channel.
    expect(revealed.shell.env).toEqual({ TOKEN: 'v2' });
  });

  it('keeps secrets inside list commands of exec and container jobs as Sensitive', () => {
    const exec = job({ schedule: '@daily', exec: { app: 'a', command: ['sh', '-c', secret('v1')] } });
    if (exec.type !== 'exec' || !Array.isArray(exec.exec.command)) throw new Error(exec.type);
    expect(exec.exec.command[0]).toBe('sh');
    expect(isSensitive(exec.exec.command[2])).toBe(true);
    const container = job({ schedule: '@daily', container: { image: 'i', command: secret('v1'), env: { A: secret('v3') } } });
    if (container.type !== 'container') throw new Error(container.type);
    expect(isSensitive(container.container.command)).toBe(true);
    expect(container.container.env).toEqual({ A: 'v3' });
  });

  it('reveals secrets of an http job, whose headers are sent as they are', () => {
    const http = job({ schedule: '@daily', http: { url: 'http://x', headers: { Authorization: secret('Bearer v') } } });
    if (http.type !== 'http') throw new Error(http.type);
    expect(http.http.headers).toEqual({ Authorization: 'Bearer v' });
  });
});
