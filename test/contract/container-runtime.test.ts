import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import {
  type ContainerSpec,
  ImageBuildError,
  ImagePullError,
  PLOY_LABELS,
  type RuntimeEvent,
  RuntimeNotFoundError,
  RuntimeUnavailableError,
} from '../../engine/ports/container-runtime.js';
import {
  dockerAvailable,
  ensureTestImage,
  type FakeRegistry,
  removeLabelled,
  requireDocker,
  startFakeRegistry,
  testDocker,
  testDockerHost,
} from '../support/docker.js';

const IMAGE = 'ploy-test/busybox:1';
/** Every object a run makes carries this label, so afterAll removes exactly those. */
const RUN = 'ploy.test-run';
const runId = randomBytes(4).toString('hex');
const name = (base: string) => `ploy-test-${runId}-${base}`;
const runtime = new DockerRuntime({ host: testDockerHost() });

/** The web app of these tests: busybox httpd serving "ok", healthy once its port accepts connections. */
const WEB_CMD = ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www'];
// Debian's busybox nc has no -z: connecting with stdin at EOF is the port check.
const PORT_OPEN = ['sh', '-c', 'nc -w 1 127.0.0.1 8080 </dev/null'];

function spec(base: string, more: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: name(base), image: IMAGE, labels: { [RUN]: runId, [PLOY_LABELS.app]: base }, ...more };
}

/** Polls until `check` returns a value, or fails naming what it waited for. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (id: string) =>
  waitFor(`${id} to exit`, async () => ((await runtime.inspect(id)).state === 'exited' ? true : undefined));

describe('a Docker runtime that cannot be reached', () => {
  it('reports a missing socket as RuntimeUnavailableError with the connection error as its cause', async () => {
    const nowhere = new DockerRuntime({ host: 'unix:///nonexistent/docker.sock' });
    const err = await nowhere.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeUnavailableError);
    expect((err as Error).message).toContain('unix:///nonexistent/docker.sock');
    expect(((err as Error).cause as { code?: string }).code).toBe('ENOENT');
  });

  it('reports a refused TCP connection as RuntimeUnavailableError from any operation', async () => {
    const refused = new DockerRuntime({ host: 'tcp://127.0.0.1:1' });
    const err = await refused.listManaged().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeUnavailableError);
    expect(((err as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('reports a daemon that does not answer a ping in time, and one that closes the events stream', async () => {
    // A stand-in daemon: pings hang, the events stream sends one event and ends.
    const server = http.createServer((req, res) => {
      if (!req.url?.startsWith('/events')) return; // never answered
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `${JSON.stringify({ Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'c1', Attributes: { name: 'web-1' } }, timeNano: 1_700_000_000_000_000_000 })}\n`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const rt = new DockerRuntime({ host: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await expect(rt.ping(AbortSignal.timeout(200))).rejects.toBeInstanceOf(RuntimeUnavailableError);
      const seen: RuntimeEvent[] = [];
      const err = await (async () => {
        for await (const e of await rt.events({}, new AbortController().signal)) seen.push(e);
      })().catch((e: unknown) => e);
      expect(seen).toEqual([
        {
          type: 'container',
          action: 'health_status',
          detail: 'healthy',
          id: 'c1',
          attributes: { name: 'web-1' },
          time: new Date(1_700_000_000_000),
        },
      ]);
      expect(err).toBeInstanceOf(RuntimeUnavailableError);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the Docker container runtime', () => {
  let registry: FakeRegistry | undefined;

  beforeAll(async () => {
    if (await dockerAvailable()) await ensureTestImage(IMAGE);
  }, 120_000);
  beforeEach(async (ctx) => {
    await requireDocker(ctx);
  });
  afterAll(async () => {
    if (!(await dockerAvailable())) return;
    await removeLabelled(RUN, runId);
    if (registry) {
      await runtime.removeImage(registry.goodRef, { force: true });
      await registry.stop();
    }
  });

  it('answers a ping and reports its version and swarm state', async () => {
    await runtime.ping();
    const info = await runtime.info();
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(['inactive', 'active', 'pending', 'error', 'locked']).toContain(info.swarm.state);
    expect(info.cpus).toBeGreaterThan(0);
  });

  it('creates labelled networks and volumes and lists only the ones Ploy manages', async () => {
    const net = await runtime.createNetwork({ name: name('net'), labels: { [RUN]: runId } });
    const vol = await runtime.createVolume({ name: name('vol'), labels: { [RUN]: runId } });
    expect(net.labels[PLOY_LABELS.managed]).toBe('true');
    expect(vol.labels[PLOY_LABELS.managed]).toBe('true');
    await testDocker().createNetwork({ Name: name('net-unmanaged'), Labels: { [RUN]: runId } });
    await testDocker().createVolume({ Name: name('vol-unmanaged'), Labels: { [RUN]: runId } });

    expect((await runtime.listNetworks({ [RUN]: runId })).map((n) => n.name)).toEqual([name('net')]);
    expect((await runtime.listVolumes({ [RUN]: runId })).map((v) => v.name)).toEqual([name('vol')]);

    await runtime.removeVolume(name('vol'));
    await runtime.removeVolume(name('vol')); // already gone: not an error
    await runtime.removeNetwork(name('net'));
    expect(await runtime.listVolumes({ [RUN]: runId })).toEqual([]);
    expect(await runtime.listNetworks({ [RUN]: runId })).toEqual([]);
  });

  describe('with a busybox web server running', () => {
    let web: string;
    let webIp: string;

    beforeAll(async () => {
      if (!(await dockerAvailable())) return;
      await runtime.createNetwork({ name: name('front'), labels: { [RUN]: runId } });
      await runtime.createNetwork({ name: name('back'), labels: { [RUN]: runId } });
      await runtime.createVolume({ name: name('data'), labels: { [RUN]: runId } });
      const created = Date.now();
      web = await runtime.createContainer(
        spec('web', {
          cmd: WEB_CMD,
          networks: [
            { name: name('front'), aliases: ['web'] },
            { name: name('back'), aliases: ['web-backend'] },
          ],
          mounts: [{ type: 'volume', source: name('data'), target: '/data' }],
          healthcheck: { cmd: PORT_OPEN, intervalMs: 500, timeoutMs: 2000, retries: 3 },
          restart: { name: 'unless-stopped' },
          resources: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5 },
          env: { GREETING: 'hello' },
        }),
      );
      await runtime.start(web);
      const healthy = await waitFor('the web container to be healthy', async () => {
        const d = await runtime.inspect(web);
        return d.health === 'healthy' ? d : undefined;
      });
      console.info(`web container: create → healthy in ${Date.now() - created} ms`);
      webIp = healthy.networks.find((n) => n.name === name('front'))!.ip;
    }, 60_000);

    it('reports it healthy and serves its page to the host at the container address', async () => {
      const details = await runtime.inspect(web);
      expect(details.state).toBe('running');
      expect(details.health).toBe('healthy');
      expect(details.healthLog.at(-1)?.exitCode).toBe(0);
      const res = await fetch(`http://${webIp}:8080/`, { signal: AbortSignal.timeout(5000) });
      expect(await res.text()).toBe('ok\n');
    });

    it('attaches it to every network with its aliases, so other containers reach it by name', async () => {
      const details = await runtime.inspect(web);
      expect(details.networks.map((n) => n.name).sort()).toEqual([name('back'), name('front')]);
      expect(details.networks.find((n) => n.name === name('back'))?.aliases).toContain('web-backend');
      const client = await runtime.createContainer(spec('client', { cmd: ['sleep', '300'], networks: [{ name: name('back') }] }));
      await runtime.start(client);
      const r = await runtime.exec(client, ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 2 web-backend 8080']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^HTTP\/1\.\d 200 OK/);
      expect(r.stdout.endsWith('ok\n')).toBe(true);
      await runtime.remove(client, { force: true });
    });

    it('lists it by label with its health and addresses, and never lists a container without ploy.managed', async () => {
      const unmanaged = await testDocker().createContainer({
        name: name('unmanaged'),
        Image: IMAGE,
        Cmd: ['sleep', '300'],
        Labels: { [RUN]: runId, [PLOY_LABELS.app]: 'web' },
      });
      const listed = await runtime.listManaged({ [RUN]: runId, [PLOY_LABELS.app]: 'web' });
      expect(listed.map((c) => c.id)).toEqual([web]);
      expect(listed.map((c) => c.id)).not.toContain(unmanaged.id);
      const [summary] = listed;
      expect(summary).toMatchObject({ name: name('web'), state: 'running', health: 'healthy', image: IMAGE });
      expect(summary!.labels[PLOY_LABELS.managed]).toBe('true');
      expect(summary!.networks.find((n) => n.name === name('front'))?.ip).toBe(webIp);
      expect(await runtime.listManaged({ [RUN]: runId, [PLOY_LABELS.app]: 'nothing-by-this-name' })).toEqual([]);
    });

    it('runs a command with exec and returns its exit code and its output', async () => {
      const ok = await runtime.exec(web, ['cat', '/www/index.html']);
      expect(ok).toEqual({ exitCode: 0, output: 'ok\n', stdout: 'ok\n', stderr: '' });
      const failed = await runtime.exec(web, ['sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 3']);
      expect(failed.exitCode).toBe(3);
      expect(failed.stdout).toBe('hello\n');
      expect(failed.stderr).toBe('oops\n');
      expect(failed.output).toContain('oops\n');
    });

    it('stops and removes it, and removing it again is not an error', async () => {
      await runtime.stop(web, { timeoutSeconds: 1 });
      expect((await runtime.inspect(web)).state).toBe('exited');
      await runtime.stop(web); // already stopped: not an error
      await runtime.remove(web);
      await expect(runtime.inspect(web)).rejects.toBeInstanceOf(RuntimeNotFoundError);
      await runtime.remove(web);
    });
  });

  it('demultiplexes stdout and stderr into lines in the order they were written', async () => {
    const script = 'echo out-1; sleep 0.2; echo err-1 >&2; sleep 0.2; echo out-2; sleep 0.2; echo err-2 >&2; printf no-newline';
    const id = await runtime.createContainer(spec('logs', { cmd: ['sh', '-c', script] }));
    await runtime.start(id);
    await exited(id);
    const lines = await runtime.logs(id);
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'out-1'],
      ['stderr', 'err-1'],
      ['stdout', 'out-2'],
      ['stderr', 'err-2'],
      ['stdout', 'no-newline'],
    ]);
    expect(lines.every((l) => l.time instanceof Date)).toBe(true);
    expect((await runtime.logs(id, { tail: 2 })).map((l) => l.text)).toEqual(['err-2', 'no-newline']);
    const since = await runtime.logs(id, { since: lines[2]!.time });
    expect(since.map((l) => l.text)).toEqual(['out-2', 'err-2', 'no-newline']);
  });

  it('writes the files of a spec into the container before it starts', async () => {
    const id = await runtime.createContainer(
      spec('files', {
        cmd: ['sh', '-c', 'cat /etc/ploy/app.json; echo; ls -l /etc/ploy/run.sh'],
        files: [
          { path: '/etc/ploy/app.json', content: '{"admin":{"listen":"127.0.0.1:2019"}}' },
          { path: '/etc/ploy/run.sh', content: 'echo hi', mode: 0o700 },
        ],
      }),
    );
    await runtime.start(id);
    await exited(id);
    const lines = (await runtime.logs(id)).map((l) => l.text);
    expect(lines[0]).toBe('{"admin":{"listen":"127.0.0.1:2019"}}');
    expect(lines[1]).toMatch(/^-rwx------ .* 7 .*run\.sh$/);
  });

  it('follows a log as it is written until the signal aborts', async () => {
    const id = await runtime.createContainer(
      spec('follow', { cmd: ['sh', '-c', 'echo one; sleep 1; echo two >&2; exec sleep 300'] }),
    );
    await runtime.start(id);
    const ac = new AbortController();
    const seen: string[] = [];
    const timer = setTimeout(() => ac.abort(new Error('test timeout')), 15_000);
    for await (const line of runtime.followLogs(id, { signal: ac.signal })) {
      seen.push(`${line.stream}:${line.text}`);
      if (seen.length === 2) ac.abort();
    }
    clearTimeout(timer);
    expect(seen).toEqual(['stdout:one', 'stderr:two']);
  });

  it('yields a start event for a started container and ends when the signal aborts', async () => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error('test timeout')), 15_000);
    const events = await runtime.events(
      {
        types: ['container'],
        actions: ['start', 'die'],
        labels: { [RUN]: runId, [PLOY_LABELS.app]: 'events' },
      },
      ac.signal,
    );
    const id = await runtime.createContainer(spec('events', { cmd: ['sleep', '300'] }));
    await runtime.start(id);
    const seen: RuntimeEvent[] = [];
    for await (const e of events) {
      seen.push(e);
      ac.abort();
    }
    clearTimeout(timer);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'container', action: 'start', id });
    expect(seen[0]!.attributes.name).toBe(name('events'));
    expect(seen[0]!.attributes[PLOY_LABELS.app]).toBe('events');
  });

  it('fails a pull of an image no registry can serve with ImagePullError and a clear message', async () => {
    const ref = 'ploy-test/does-not-exist:1';
    const err = await runtime.pullImage(ref, { signal: AbortSignal.timeout(20_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).ref).toBe(ref);
    expect((err as Error).message).toMatch(/^could not pull ploy-test\/does-not-exist:1: \S/);
    expect((err as Error).message).not.toContain('HTTP code');
  }, 30_000);

  it('fails a pull with ImagePullError when the daemon reports the error inside the progress stream', async () => {
    registry ??= await startFakeRegistry({ username: 'ci', password: 's3cret' });
    const auth = { username: 'ci', password: 's3cret', serverAddress: registry.host };
    const progress: string[] = [];
    const err = await runtime
      .pullImage(registry.brokenRef, {
        auth,
        onProgress: (p) => progress.push(p.status),
        signal: AbortSignal.timeout(20_000),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as Error).message).toContain('filesystem layer verification failed');
    // The daemon had answered 200 and streamed progress before the error.
    expect(progress).toContain('Pulling fs layer');
    expect(await runtime.imageExists(registry.brokenRef)).toBe(false);
  });

  it('pulls from a registry with credentials and records the manifest digest', async () => {
    registry ??= await startFakeRegistry({ username: 'ci', password: 's3cret' });
    const denied = await runtime.pullImage(registry.goodRef).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ImagePullError);
    expect((denied as Error).message).toContain('no basic auth credentials');

    const auth = { username: 'ci', password: 's3cret', serverAddress: registry.host };
    const result = await runtime.pullImage(registry.goodRef, { auth, signal: AbortSignal.timeout(20_000) });
    expect(result.digest).toBe(registry.goodDigest);
    expect(registry.requests.some((r) => r.url.includes('/manifests/') && r.authorized)).toBe(true);
    const image = await runtime.inspectImage(registry.goodRef);
    expect(image?.id).toBe(result.imageId);
    expect(image?.repoDigests).toContain(`${registry.host}/good/app@${registry.goodDigest}`);
  });

  it('builds an image from a context with a build argument and a target, and keeps the build log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-build-'));
    fs.mkdirSync(path.join(dir, 'docker'));
    fs.writeFileSync(
      path.join(dir, 'docker/App.Dockerfile'),
      `FROM ${IMAGE} AS base\nARG GREETING=none\nRUN echo "built $GREETING" > /built\nFROM base AS unused\nRUN false\n`,
    );
    const tag = `ploy-test/built-${runId}:1`;
    const streamed: string[] = [];
    try {
      const result = await runtime.buildImage(
        dir,
        {
          tag,
          dockerfile: 'docker/App.Dockerfile',
          args: { GREETING: 'hello' },
          target: 'base',
          labels: { [RUN]: runId },
        },
        (line) => streamed.push(line),
      );
      expect(result.log).toEqual(streamed);
      expect(result.log.join('\n')).toContain('RUN echo "built $GREETING" > /built');
      expect((await runtime.inspectImage(tag))?.id).toBe(result.imageId);
      const id = await runtime.createContainer(spec('built', { image: tag, cmd: ['cat', '/built'] }));
      await runtime.start(id);
      await exited(id);
      expect((await runtime.logs(id)).map((l) => l.text)).toEqual(['built hello']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a build whose step fails with ImageBuildError and keeps the log up to the failure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-build-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${IMAGE}\nRUN echo before-the-failure && false\n`);
    try {
      const err = await runtime
        .buildImage(dir, { tag: `ploy-test/broken-${runId}:1`, labels: { [RUN]: runId } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageBuildError);
      expect((err as Error).message).toMatch(/returned a non-zero code: 1/);
      expect((err as ImageBuildError).log).toContain('before-the-failure');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
