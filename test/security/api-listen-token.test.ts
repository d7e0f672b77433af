import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/caddy.js';
import { makeDir } from '../support/cli.js';
import { serve } from '../support/serve-process.js';
import { startServedApi } from '../support/served-api.js';

const JOB = 'kind: Job\nname: tick\nschedule: "0 0 1 1 *"\nshell: {command: "true"}\n';

describe('ploy serve on an address other machines can reach', () => {
  it('refuses to start without api.token, with one line naming the setting and no stack trace', async () => {
    const cwd = await makeDir({ 'ploy.config.yaml': 'source: {path: ./repo}\n', 'repo/job.yaml': JOB });
    const port = await freePort();
    const child = serve(cwd, { PLOY_API_LISTEN: `0.0.0.0:${port}` });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const lines = child.output().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^Error: api\.listen is 0\.0\.0\.0:\d+, which other machines can reach, and api\.token is not set/),
    ]);
    expect(lines[0]).toContain('api.insecureNoToken: true');
    // It never listened.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('starts with api.insecureNoToken: true, and says loudly that anyone can read it', async () => {
    const api = await startServedApi(
      { 'ploy.config.yaml': 'source: {path: ./repo}\napi: {insecureNoToken: true}\n', 'repo/job.yaml': JOB },
      { listenHost: '0.0.0.0' },
    );
    try {
      expect(api.output()).toMatch(/"level":40,.*INSECURE: api\.listen is 0\.0\.0\.0:\d+ and api\.token is not set/);
    } finally {
      await api.stop();
    }
  });

  it('starts on a loopback address without a token, as before', async () => {
    const api = await startServedApi({ 'ploy.config.yaml': 'source: {path: ./repo}\n', 'repo/job.yaml': JOB });
    try {
      expect(api.output()).not.toContain('INSECURE');
    } finally {
      await api.stop();
    }
  });
});
