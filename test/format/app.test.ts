import { describe, expect, it } from 'vitest';
import { errorsOf, expectOne, expectOnlyErrors, expectValid, validate, validateFiles, warningsOf, yaml } from './harness.js';

// FORMAT.md, "App": the example, and the errors it lists: build context outside the root,
// dependency cycles, host port conflicts, replicas with a fixed host port, route conflicts, and
// the warning for routes without a proxy.

const FORMAT_EXAMPLE = yaml(
  'kind: App',
  'name: web',
  'image: ghcr.io/acme/web:2.1        # or build: {context: ./web, dockerfile: Dockerfile, args: {K: v}}',
  'command: ["node", "server.js"]     # string or list',
  'env: {NODE_ENV: production, TOKEN: "${secret:WEB_TOKEN}"}',
  'ports: ["8080:3000", "127.0.0.1:9090:9090", "53:53/udp"]',
  'volumes: ["data:/var/lib/data", "/srv/static:/static:ro"]',
  'networks: [frontend, backend]      # apps on a shared network reach each other by app name',
  'replicas: 2                        # default 1',
  'restart: unless-stopped            # no | always | on-failure | unless-stopped (default)',
  'healthcheck:',
  '  http: {path: /healthz, port: 3000}   # or cmd: ["pg_isready"] (runs inside the container)',
  '  interval: 5s',
  '  timeout: 2s',
  '  retries: 3',
  '  startPeriod: 10s',
  'update: {order: start-first, onFailure: rollback, monitor: 10s, drainTimeout: 30s}',
  'resources: {cpus: 0.5, memory: 256M}',
  'dependsOn: [api]',
  "routes:                            # served by the engine's Caddy proxy",
  '  - {host: shop.example.com, path: /, port: 3000}    # tls: auto (default: HTTPS via ACME) | internal | off',
);
const API = yaml('kind: App', 'name: api', 'image: ghcr.io/acme/api:1.0');
const secrets = { WEB_TOKEN: 's3cr3t-token' };

const app = (name: string, ...more: string[]) => yaml('kind: App', `name: ${name}`, 'image: nginx:1.27', ...more);

describe('the App of FORMAT.md', () => {
  it('is valid in swarm mode with a proxy', async () => {
    const ds = await validateFiles(
      { 'web.yaml': FORMAT_EXAMPLE, 'api.yaml': API },
      { secrets, dockerMode: 'swarm', proxyConfigured: true },
    );
    expectValid(ds);
  });

  it('is refused in standalone mode for its two replicas on fixed host ports, one error per port', async () => {
    const ds = await validateFiles({ 'web.yaml': FORMAT_EXAMPLE, 'api.yaml': API }, { secrets, proxyConfigured: true });
    expect(errorsOf(ds).map((d) => `${d.code} ${d.line}`)).toEqual([
      'replicas-fixed-port 6',
      'replicas-fixed-port 6',
      'replicas-fixed-port 6',
    ]);
  });

  it('accepts its alternatives: build, a string command, a cmd health check, every restart policy and tls mode', async () => {
    const ds = await validateFiles(
      {
        'web/Dockerfile': 'FROM scratch',
        'a.yaml': yaml(
          'kind: App',
          'name: web',
          'build: {context: ./web, dockerfile: Dockerfile, args: {K: v}, target: prod}',
          'command: node server.js',
          'healthcheck: {cmd: ["pg_isready"]}',
          'restart: on-failure',
          'update: {order: stop-first, onFailure: pause}',
          'routes:',
          '  - {host: shop.example.com, port: 3000, tls: internal}',
          '  - {host: "*.example.com", path: /api, port: 3000, tls: "off"}',
        ),
        'b.yaml': app('b', 'restart: "no"', 'replicas: 0'),
        'c.yaml': app('c', 'restart: always', 'update: {order: auto}'),
      },
      { proxyConfigured: true },
    );
    expect(ds).toEqual([]);
  });

  it('refuses an unknown restart policy, naming the valid ones and the likely one', async () => {
    const ds = await validateFiles({ 'a.yaml': app('web', 'restart: unless-stoped') });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-field',
        file: 'a.yaml',
        line: 4,
        words: ['restart', '"unless-stoped"', '"no", "always", "on-failure", "unless-stopped"', 'Did you mean "unless-stopped"?'],
      },
    ]);
  });

  it('needs exactly one of http or cmd in a health check', async () => {
    const ds = await validateFiles({ 'a.yaml': app('web', 'healthcheck:', '  interval: 5s') });
    expectOnlyErrors(ds, [{ code: 'missing-field', file: 'a.yaml', line: 4, words: ['healthcheck', 'http or cmd'] }]);
  });
});

describe('build context', () => {
  it('accepts a context inside the source root, relative to the file that declares the app', async () => {
    const ds = await validateFiles({
      'apps/web.yaml': yaml('kind: App', 'name: web', 'build: {context: ../services/web}'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses a context that leads outside the source root, at the context line', async () => {
    const ds = await validateFiles({
      'apps/web.yaml': yaml('kind: App', 'name: web', 'build:', '  context: ../../elsewhere'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'path-escape',
        file: 'apps/web.yaml',
        line: 4,
        words: ['"../../elsewhere"', 'outside the source root'],
      },
    ]);
  });

  it('refuses an absolute context', async () => {
    const ds = await validateFiles({ 'web.yaml': yaml('kind: App', 'name: web', 'build: {context: /etc}') });
    expectOnlyErrors(ds, [{ code: 'path-escape', file: 'web.yaml', line: 3, words: ['"/etc"', 'outside the source root'] }]);
  });
});

describe('dependsOn', () => {
  it('refuses a dependency cycle, naming the whole cycle at the reference that starts it', async () => {
    const ds = await validateFiles({
      'apps.yaml': [app('a', 'dependsOn: [b]'), app('b', 'dependsOn: [c]'), app('c', 'dependsOn:', '  - a')].join('---\n'),
    });
    expectOnlyErrors(ds, [{ code: 'dependency-cycle', file: 'apps.yaml', line: 4, words: ['App a → App b → App c → App a'] }]);
  });

  it('refuses an app that depends on itself', async () => {
    const ds = await validateFiles({ 'a.yaml': app('a', 'dependsOn: [db, a]'), 'db.yaml': app('db') });
    expectOnlyErrors(ds, [{ code: 'dependency-cycle', file: 'a.yaml', line: 4, words: ['App a → App a'] }]);
  });

  it('reports a cycle across files once', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'dependsOn: [b]'),
      'b.yaml': app('b', 'dependsOn: [a]'),
    });
    expectOnlyErrors(ds, [{ code: 'dependency-cycle', file: 'a.yaml', line: 4, words: ['App a → App b → App a'] }]);
  });

  it('accepts a diamond of dependencies', async () => {
    const ds = await validateFiles({
      'a.yaml': [
        app('web', 'dependsOn: [api, auth]'),
        app('api', 'dependsOn: [db]'),
        app('auth', 'dependsOn: [db]'),
        app('db'),
      ].join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses a dependsOn naming no App, at the entry, suggesting the closest name', async () => {
    const ds = await validateFiles({
      'web.yaml': app('web', 'dependsOn:', '  - api', '  - dbb'),
      'more.yaml': [app('api'), app('db')].join('---\n'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-reference',
        file: 'web.yaml',
        line: 6,
        words: ['App web', 'App "dbb"', 'not declared', 'Did you mean "db"?'],
      },
    ]);
  });

  it('refuses a dependsOn naming a Monitor rather than an App', async () => {
    const ds = await validateFiles({
      'web.yaml': app('web', 'dependsOn: [db]'),
      'm.yaml': yaml('kind: Monitor', 'name: db', 'tcp: {host: db, port: 5432}'),
    });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'web.yaml', line: 4, words: ['App "db"'] }]);
  });
});

describe('host ports', () => {
  it('refuses two apps publishing the same host port, naming the other app and where', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'ports: ["8080:80"]'),
      'b.yaml': app('b', 'ports:', '  - "9000:9000"', '  - "8080:3000"'),
    });
    expectOnlyErrors(ds, [{ code: 'port-conflict', file: 'b.yaml', line: 6, words: ['8080/tcp', 'app b', 'app a', 'a.yaml:4'] }]);
  });

  it('refuses 0.0.0.0 and 127.0.0.1 on the same port: the addresses overlap', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'ports: ["0.0.0.0:8080:80"]'),
      'b.yaml': app('b', 'ports: ["127.0.0.1:8080:80"]'),
    });
    expectOnlyErrors(ds, [{ code: 'port-conflict', file: 'b.yaml', line: 4, words: ['127.0.0.1:8080/tcp', 'app a'] }]);
  });

  it('refuses a port on all addresses against one on a single address', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'ports: ["127.0.0.1:5432:5432"]'),
      'b.yaml': app('b', 'ports: ["5432:5432"]'),
    });
    expectOnlyErrors(ds, [{ code: 'port-conflict', file: 'b.yaml', line: 4, words: ['5432/tcp', 'app a'] }]);
  });

  it('accepts the same port on two different single addresses', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'ports: ["127.0.0.1:8080:80"]'),
      'b.yaml': app('b', 'ports: ["127.0.0.2:8080:80"]'),
    });
    expect(ds).toEqual([]);
  });

  it('accepts the same port number with different protocols', async () => {
    const ds = await validateFiles({
      'a.yaml': app('dns-tcp', 'ports: ["53:53"]'),
      'b.yaml': app('dns-udp', 'ports: ["53:53/udp"]'),
    });
    expect(ds).toEqual([]);
  });

  it('accepts container ports without a host port in any number of apps', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a', 'ports: ["3000"]', 'replicas: 3'),
      'b.yaml': app('b', 'ports: ["3000"]'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses more than one replica with a fixed host port in standalone mode, suggesting routes or swarm', async () => {
    const ds = await validateFiles({ 'a.yaml': app('web', 'replicas: 2', 'ports:', '  - "8080:80"') });
    expectOnlyErrors(ds, [
      {
        code: 'replicas-fixed-port',
        file: 'a.yaml',
        line: 6,
        words: ['2 replicas', '8080', 'routes', 'swarm'],
      },
    ]);
  });

  it('accepts more than one replica with a fixed host port in swarm mode', async () => {
    const ds = await validateFiles({ 'a.yaml': app('web', 'replicas: 2', 'ports:', '  - "8080:80"') }, { dockerMode: 'swarm' });
    expect(ds).toEqual([]);
  });

  it('accepts one replica with a fixed host port in standalone mode', async () => {
    expect(await validateFiles({ 'a.yaml': app('web', 'replicas: 1', 'ports: ["8080:80"]') })).toEqual([]);
  });
});

describe('routes', () => {
  it('refuses two apps routing the same host and path, naming the other app', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': app('shop', 'routes:', '  - {host: shop.example.com, port: 3000}'),
        'b.yaml': app(
          'shop-v2',
          'routes:',
          '  - {host: shop.example.com, path: /api, port: 3000}',
          '  - {host: shop.example.com, path: /, port: 3000}',
        ),
      },
      { proxyConfigured: true },
    );
    expectOnlyErrors(ds, [
      {
        code: 'route-conflict',
        file: 'b.yaml',
        line: 6,
        words: ['shop.example.com/', 'app shop-v2', 'app shop', 'a.yaml:5'],
      },
    ]);
  });

  it('treats /api and /api/ as the same path', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': app('a', 'routes: [{host: x.example.com, path: /api, port: 80}]'),
        'b.yaml': app('b', 'routes: [{host: x.example.com, path: /api/, port: 80}]'),
      },
      { proxyConfigured: true },
    );
    expectOnlyErrors(ds, [{ code: 'route-conflict', file: 'b.yaml', line: 4, words: ['x.example.com/api'] }]);
  });

  it('accepts two apps on the same host with different paths, and on different hosts', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': app('front', 'routes: [{host: shop.example.com, port: 80}, {host: www.example.com, port: 80}]'),
        'b.yaml': app('api', 'routes: [{host: shop.example.com, path: /api, port: 80}]'),
      },
      { proxyConfigured: true },
    );
    expect(ds).toEqual([]);
  });

  it('warns, without failing, when routes are declared but no proxy is configured', async () => {
    const ds = await validateFiles({
      'a.yaml': app('web', 'routes:', '  - {host: shop.example.com, port: 3000}'),
    });
    expect(errorsOf(ds)).toEqual([]);
    expectOne(warningsOf(ds), {
      code: 'no-proxy',
      file: 'a.yaml',
      line: 4,
      severity: 'warning',
      words: ['App web', 'routes', 'no proxy is configured', 'proxy.caddy'],
    });
  });

  it('does not warn about routes when a proxy is configured', async () => {
    expect(
      await validateFiles({ 'a.yaml': app('web', 'routes: [{host: shop.example.com, port: 3000}]') }, { proxyConfigured: true }),
    ).toEqual([]);
  });

  it('refuses an uppercase host and a path without a leading slash', async () => {
    const ds = await validateFiles(
      {
        'a.yaml': app(
          'web',
          'routes:',
          '  - host: Shop.Example.com',
          '    port: 80',
          '  - host: shop.example.com',
          '    path: api',
          '    port: 80',
        ),
      },
      { proxyConfigured: true },
    );
    expectOnlyErrors(ds, [
      { code: 'invalid-field', file: 'a.yaml', line: 5, words: ['routes[0].host'] },
      { code: 'invalid-field', file: 'a.yaml', line: 8, words: ['routes[1].path'] },
    ]);
  });
});

describe('a valid App', () => {
  it('is a resource with its spec as written', async () => {
    const r = await validate({ 'a.yaml': app('web', 'ports: ["8080:80"]', 'env: {A: "1"}') });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0]).toMatchObject({
      kind: 'App',
      name: 'web',
      key: 'App/web',
      spec: { image: 'nginx:1.27', ports: ['8080:80'], env: { A: '1' } },
    });
  });
});
