import { describe, expect, it } from 'vitest';
import { RuntimeUnavailableError } from '../../ports/container-runtime.js';
import { DockerRuntime } from './docker-runtime.js';
import { LazyDockerRuntime, unixSocket } from './lazy-runtime.js';

const MISSING = 'unix:///run/ploy-test-no-such-docker.sock';

/** The error of a call, or undefined when it succeeded. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('LazyDockerRuntime', () => {
  it('fails as the dockerode adapter does when the unix socket does not exist', async () => {
    const real = new DockerRuntime({ host: MISSING });
    const lazy = new LazyDockerRuntime({ host: MISSING });
    const calls: Array<(r: DockerRuntime | LazyDockerRuntime) => Promise<unknown>> = [
      (r) => r.ping(),
      (r) => r.listManaged(),
      (r) => r.listServices(),
      (r) => r.listNetworks(),
      (r) => r.inspect('web-1'),
    ];
    for (const call of calls) {
      const [a, b] = [await failure(call(real)), await failure(call(lazy))];
      expect(b).toBeInstanceOf(RuntimeUnavailableError);
      expect(a).toBeInstanceOf(RuntimeUnavailableError);
      expect((b as Error).message).toBe((a as Error).message);
    }
  });

  it('fails a log stream the same way', async () => {
    const lazy = new LazyDockerRuntime({ host: MISSING });
    const it = lazy.followLogs('web-1', { signal: AbortSignal.timeout(1000) })[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toBeInstanceOf(RuntimeUnavailableError);
  });

  it('finds the socket dockerode would use', () => {
    expect(unixSocket('unix:///var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(unixSocket('/tmp/d.sock')).toBe('/tmp/d.sock');
    expect(unixSocket('tcp://127.0.0.1:2375')).toBeUndefined();
    expect(unixSocket('ssh://me@host')).toBeUndefined();
    expect(unixSocket('npipe:////./pipe/docker_engine')).toBeUndefined();
  });
});
