import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../ports/container-runtime.js';
import { appContainerSpec, namedVolumes } from './app-container.js';
import { containerHash } from './container-hash.js';
import { registryFor, registryHost } from './image.js';
import { liveDrift } from './observe.js';
import { rolloutOrder } from './strategy.js';
import { appServiceSpec, liveServiceDrift } from './swarm.js';
import { kinds } from '../registry.js';

// The registry's untyped handler: these specs carry kind and name, as a document does.
const spec = (extra: Record<string, unknown> = {}) =>
  kinds.App.withDefaults({ kind: 'App', name: 'web', image: 'web:1', ...extra });

const container = (over: Partial<ContainerSummary> = {}, s = spec()): ContainerSummary => ({
  id: 'c1',
  name: 'web.1.abcdef',
  image: 'web:1',
  imageId: 'sha256:1',
  labels: { 'ploy.managed': 'true', 'ploy.app': 'web', 'ploy.spec-hash': containerHash(s), 'ploy.replica': '1' },
  state: 'running',
  health: 'healthy',
  status: 'Up',
  created: new Date(0),
  networks: [],
  ports: [],
  ...over,
});

describe('the container hash', () => {
  it('changes with what is baked into a container, not with scaling, routing or rollout policy', () => {
    const base = containerHash(spec());
    expect(containerHash(spec({ replicas: 3, update: { order: 'stop-first' }, dependsOn: ['db'], pull: 'always' }))).toBe(base);
    expect(containerHash(spec({ image: 'web:2' }))).not.toBe(base);
    expect(containerHash(spec({ env: { A: '1' } }))).not.toBe(base);
  });

  it('sees a changed secret through its digest only', () => {
    const a = containerHash(spec({ env: { TOKEN: { $sensitive: 'hmac-sha256:aa' } } }));
    const b = containerHash(spec({ env: { TOKEN: { $sensitive: 'hmac-sha256:bb' } } }));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('live drift', () => {
  it('is none when the containers are what was applied', () => {
    expect(liveDrift(spec(), [container()])).toBeUndefined();
  });

  it('names each way a container differs from what Ploy left', () => {
    expect(liveDrift(spec(), [])).toBe('drift: no container is there (removed outside Ploy?)');
    expect(liveDrift(spec(), [container({ state: 'exited' })])).toContain('web.1.abcdef is exited');
    expect(liveDrift(spec(), [container({ health: 'unhealthy' })])).toContain('is unhealthy');
    expect(liveDrift(spec(), [container({ state: 'restarting' })])).toContain('is restarting');
    expect(liveDrift(spec(), [container({}, spec({ image: 'web:0' }))])).toContain('changed outside Ploy (spec hash differs)');
    expect(liveDrift(spec({ replicas: 2 }), [container()])).toContain('1 of 2 containers missing');
    expect(liveDrift(spec(), [container(), container({ id: 'c2', name: 'web.1.ffffff' })])).toContain('1 container(s) more');
  });

  it('expects nothing of an app scaled to zero', () => {
    expect(liveDrift(spec({ replicas: 0 }), [])).toBeUndefined();
  });
});

describe('the rollout order', () => {
  it('is start-first unless one replica holds a fixed host port', () => {
    expect(rolloutOrder(spec()).order).toBe('start-first');
    expect(rolloutOrder(spec({ ports: ['3000'] })).order).toBe('start-first');
    expect(rolloutOrder(spec({ ports: ['127.0.0.1:8080:3000'] }))).toEqual({
      order: 'stop-first',
      why: 'host port 8080/tcp is fixed and there is one replica: old and new cannot bind it at once',
    });
  });

  it('follows update.order when it is set', () => {
    expect(rolloutOrder(spec({ ports: ['8080:3000'], update: { order: 'start-first' } })).order).toBe('start-first');
    expect(rolloutOrder(spec({ update: { order: 'stop-first' } }))).toEqual({
      order: 'stop-first',
      why: 'update.order is stop-first',
    });
  });
});

describe('an app replica as a container', () => {
  const c = appContainerSpec({
    app: 'web',
    spec: spec({
      command: 'node server.js',
      env: { PORT: 3000 },
      ports: ['127.0.0.1:9090:9090', '53:53/udp'],
      volumes: ['data:/var/lib/data', '/srv/static:/static:ro', './conf:/etc/app'],
      resources: { cpus: 0.5, memory: '256M' },
      healthcheck: { cmd: ['pg_isready'], interval: '2s' },
      restart: 'on-failure',
    }),
    image: 'web:1',
    containerName: 'web.2.abcdef',
    replica: 2,
    hash: 'h',
    revision: 'r',
    baseDir: '/repo/apps',
  });

  it('runs a string command through the shell and passes env as strings', () => {
    expect(c.cmd).toEqual(['/bin/sh', '-c', 'node server.js']);
    expect(c.env).toEqual({ PORT: '3000' });
  });

  it('publishes ports, mounts volumes and binds (relative to the app file), and joins the default network by app name', () => {
    expect(c.ports).toEqual([
      { containerPort: 9090, protocol: 'tcp', hostPort: 9090, hostIp: '127.0.0.1' },
      { containerPort: 53, protocol: 'udp', hostPort: 53, hostIp: undefined },
    ]);
    expect(c.mounts).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: false },
      { type: 'bind', source: '/srv/static', target: '/static', readOnly: true },
      { type: 'bind', source: '/repo/apps/conf', target: '/etc/app', readOnly: false },
    ]);
    expect(c.networks).toEqual([{ name: 'ploy', aliases: ['web'] }]);
  });

  it('carries the labels drift detection reads, and limits, restart policy and a Docker health check', () => {
    expect(c.labels).toMatchObject({ 'ploy.app': 'web', 'ploy.spec-hash': 'h', 'ploy.revision': 'r', 'ploy.replica': '2' });
    expect(c.resources).toEqual({ cpus: 0.5, memoryBytes: 256 * 1024 * 1024 });
    expect(c.restart).toEqual({ name: 'on-failure' });
    expect(c.healthcheck).toMatchObject({ cmd: ['pg_isready'], intervalMs: 2000 });
  });

  it('leaves an http health check to Ploy (probed from the host), not Docker', () => {
    const h = appContainerSpec({
      app: 'web',
      spec: spec({ healthcheck: { http: { port: 3000 } } }),
      image: 'web:1',
      containerName: 'x',
      replica: 1,
      hash: 'h',
      revision: 'r',
      baseDir: '/',
    });
    expect(h.healthcheck).toBeUndefined();
  });

  it('creates only named volumes, never host paths', () => {
    expect(namedVolumes({ volumes: ['data:/d', '/srv:/s', './x:/x', 'cache:/c:ro'] })).toEqual(['data', 'cache']);
  });
});

describe('registry credentials', () => {
  it('are matched by the host an image name starts with, Docker Hub otherwise', () => {
    expect(registryHost('ghcr.io/acme/web:2.1')).toBe('ghcr.io');
    expect(registryHost('registry.local:5000/web')).toBe('registry.local:5000');
    expect(registryHost('localhost/web')).toBe('localhost');
    expect(registryHost('acme/web:1')).toBe('docker.io');
    expect(registryHost('nginx')).toBe('docker.io');
    const creds = [
      { serverAddress: 'ghcr.io', username: 'a', password: 'p' },
      { serverAddress: 'index.docker.io', username: 'b', password: 'q' },
    ];
    expect(registryFor('ghcr.io/acme/web', creds)?.username).toBe('a');
    expect(registryFor('acme/web', creds)?.username).toBe('b');
    expect(registryFor('quay.io/x/y', creds)).toBeUndefined();
  });
});

describe('an app as a Swarm service', () => {
  const svc = (extra: Record<string, unknown>) =>
    appServiceSpec({
      app: 'web',
      spec: spec(extra),
      image: 'web:1',
      hash: 'h',
      revision: 'r',
      baseDir: '/',
      order: 'start-first',
    });

  it("hands the rollout to Swarm: one task at a time, in the plan's order, rolled back or paused on failure", () => {
    const s = svc({ replicas: 3, update: { onFailure: 'pause', monitor: '5s' } });
    expect(s).toMatchObject({
      name: 'web',
      replicas: 3,
      update: { order: 'start-first', failureAction: 'pause', monitorMs: 5000 },
    });
    expect(s.labels).not.toHaveProperty('ploy.replica');
    expect(s.restart).toEqual({ condition: 'any' });
  });

  it('runs an http health check inside the container, where every node can', () => {
    expect(svc({ healthcheck: { http: { port: 3000, path: '/up' }, interval: '2s' } }).healthcheck).toMatchObject({
      cmd: 'wget -q -O /dev/null http://127.0.0.1:3000/up || curl -fsS -o /dev/null http://127.0.0.1:3000/up',
      intervalMs: 2000,
    });
  });

  it('is drift when removed, changed or scaled by hand, but not when Swarm rolled an update back', () => {
    const applied = spec({ replicas: 2 });
    const live = {
      id: 's',
      name: 'web',
      version: 1,
      image: 'web:1',
      labels: { 'ploy.spec-hash': containerHash(applied) },
      replicas: 2,
      runningTasks: 2,
      ports: [],
    };
    expect(liveServiceDrift(applied, containerHash(applied), live)).toBeUndefined();
    expect(liveServiceDrift(applied, containerHash(applied), { ...live, updateState: 'rollback_completed' })).toBeUndefined();
    expect(liveServiceDrift(applied, containerHash(applied), undefined)).toContain('no service is there');
    expect(liveServiceDrift(applied, containerHash(applied), { ...live, replicas: 1 })).toContain('scaled to 1 outside Ploy');
    expect(liveServiceDrift(applied, 'other', live)).toContain('changed outside Ploy');
  });
});
