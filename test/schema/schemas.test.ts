import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Kind } from '../../engine/model/resource.js';
import { AJV_OPTIONS, compileKindValidators, createAjv, type KindValidators, schemas } from '../../engine/validate/schemas.js';

// The example blocks of FORMAT.md (the v1 contract), copied as written there.
const FORMAT_APP = `
kind: App
name: web
image: ghcr.io/acme/web:2.1        # or build: {context: ./web, dockerfile: Dockerfile, args: {K: v}}
command: ["node", "server.js"]     # string or list
env: {NODE_ENV: production, TOKEN: "\${secret:WEB_TOKEN}"}
ports: ["8080:3000", "127.0.0.1:9090:9090", "53:53/udp"]
volumes: ["data:/var/lib/data", "/srv/static:/static:ro"]
networks: [frontend, backend]      # apps on a shared network reach each other by app name
replicas: 2                        # default 1
restart: unless-stopped            # no | always | on-failure | unless-stopped (default)
healthcheck:
  http: {path: /healthz, port: 3000}   # or cmd: ["pg_isready"] (runs inside the container)
  interval: 5s
  timeout: 2s
  retries: 3
  startPeriod: 10s
update: {order: start-first, onFailure: rollback, monitor: 10s, drainTimeout: 30s}
                                   # order: auto (default) | start-first | stop-first; onFailure: rollback (default) | pause
resources: {cpus: 0.5, memory: 256M}
dependsOn: [api]
routes:                            # served by the engine's Caddy proxy
  - {host: shop.example.com, path: /, port: 3000}    # tls: auto (default: HTTPS via ACME) | internal | off
`;

const FORMAT_MONITOR = `
kind: Monitor
name: api-health
http: {url: https://api.example.com/health, method: GET, headers: {Accept: application/json}}
# or: tcp: {host, port} | dns: {name, type, server} | tls: {host, port} | docker: {app}
#   | push: {grace: 26h} | http: {app: web, port: 3000, path: /healthz}
interval: 30s        # default 60s
timeout: 10s         # default 10s
retries: 1           # extra tries before a check counts as failed; default 0
conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 800", "[BODY].status == UP", "len([BODY].checks) > 0"]
failureThreshold: 3  # failed checks in a row before DOWN; default 3
successThreshold: 2  # passed checks in a row before UP again; default 2
notify: [ops-slack]
`;

const FORMAT_JOB = `
kind: Job
name: db-backup
schedule: "15 2 * * *"       # cron with 5, 6 (seconds) or 7 (year) fields, @hourly/@daily/..., or "@every 90s"
timezone: Europe/Berlin      # IANA name; default UTC
container: {image: postgres:16, command: ["sh", "-c", "pg_dump ..."], networks: [backend], volumes: ["backups:/backups"]}
# or: shell: {command: "...", env: {}} | http: {url, method, headers, body} | exec: {app: api, command: [...]}
timeout: 45m                 # default 1h
retries: 2                   # default 0
concurrency: forbid          # forbid (default) | allow | replace
notify: [dba-mail]
then: [backup-verify]        # jobs to run after a success
suspend: false
`;

const FORMAT_NOTIFICATION = `
kind: Notification
name: ops-slack
slack: {webhookUrl: "\${secret:SLACK_WEBHOOK}"}
# or: webhook: {url, method, headers} | discord: {webhookUrl} | telegram: {botToken, chatId}
#   | email: {smtp: {host, port, username, password, secure}, from, to: [..]} | ntfy: {url, topic}
events: [monitor.down, monitor.up, job.failed, deploy.failed, sync.failed]   # default: all events
default: true                # used wherever a resource names no channel
`;

const FORMAT_CONFIG = `
source: {path: ./examples/quickstart}   # or git: {url, ref, dir, interval}
store: {url: embedded}                  # or postgres://user:pass@host/db ; embedded data lives in .ploy/ beside this file
docker: {host: unix:///var/run/docker.sock, mode: standalone}   # or swarm
sync: {auto: true, prune: true}        # defaults; an empty source never prunes
api: {listen: 127.0.0.1:4000}
webhook: {secret: "\${secret:WEBHOOK_SECRET}"}   # verifies POST /hooks/git (GitHub X-Hub-Signature-256, GitLab X-Gitlab-Token, Gitea)
secrets: {dir: ./secrets}
proxy: {caddy: {admin: http://127.0.0.1:2019, listen: [":80", ":443"]}}   # omit for no routing
`;

const EXAMPLES: Record<Kind, string> = {
  App: FORMAT_APP,
  Monitor: FORMAT_MONITOR,
  Job: FORMAT_JOB,
  Notification: FORMAT_NOTIFICATION,
};

type Doc = Record<string, unknown>;
const example = (kind: Kind): Doc => parse(EXAMPLES[kind]) as Doc;
const KIND_LIST: Kind[] = ['App', 'Monitor', 'Job', 'Notification'];

let v: KindValidators;
let bundle: ValidateFunction;

beforeAll(() => {
  const t0 = performance.now();
  v = compileKindValidators();
  const ms = performance.now() - t0;
  // Reported, not asserted: it runs on every CLI start (module import of ajv not included).
  console.log(`schema: compiled App, Monitor, Job, Notification and config validators in ${ms.toFixed(1)} ms`);
  const ajv = createAjv();
  ajv.addSchema(schemas.bundle);
  bundle = ajv.getSchema(schemas.bundle.$id as string)!;
});

/** The errors of one validation, without the verbose fields, for readable failure output. */
function errorsOf(validate: ValidateFunction, doc: unknown): ErrorObject[] {
  validate(doc);
  return (validate.errors ?? []).map(({ schema: _s, parentSchema: _p, data: _d, ...rest }) => rest as ErrorObject);
}

function expectValid(validate: ValidateFunction, doc: unknown): void {
  expect(errorsOf(validate, doc)).toEqual([]);
}

function expectError(validate: ValidateFunction, doc: unknown, match: Partial<ErrorObject>): ErrorObject[] {
  const errors = errorsOf(validate, doc);
  expect(errors).toContainEqual(expect.objectContaining(match));
  return errors;
}

describe('FORMAT.md examples', () => {
  for (const kind of KIND_LIST) {
    it(`accepts the ${kind} example`, () => expectValid(v[kind], example(kind)));
    it(`accepts the ${kind} example through the editor bundle`, () => expectValid(bundle, example(kind)));
  }
  it('accepts the ploy.config.yaml example', () => expectValid(v.config, parse(FORMAT_CONFIG)));
  it('accepts an empty ploy.config.yaml', () => expectValid(v.config, {}));

  it('reads YAML 1.2 no/off as the strings the enums expect', () => {
    const app = parse('kind: App\nname: web\nimage: x\nrestart: no\nroutes: [{host: a.example, port: 80, tls: off}]');
    expectValid(v.App, app);
  });

  it('accepts the alternatives named in the examples comments', () => {
    const { image: _i, ...app } = example('App');
    expectValid(v.App, { ...app, build: { context: './web', dockerfile: 'Dockerfile', args: { K: 'v' } } });
    expectValid(v.App, {
      ...example('App'),
      command: 'node server.js',
      healthcheck: { cmd: ['pg_isready'] },
    });

    const { http: _h, ...monitor } = example('Monitor');
    for (const probe of [
      { tcp: { host: 'db', port: 5432 } },
      { dns: { name: 'example.com', type: 'AAAA', server: '1.1.1.1' } },
      { tls: { host: 'example.com', port: 443 } },
      { docker: { app: 'web' } },
      { push: { grace: '26h' } },
      { ping: { host: '10.0.0.1' } },
      { http: { app: 'web', port: 3000, path: '/healthz' } },
    ]) {
      expectValid(v.Monitor, { ...monitor, ...probe });
    }

    const { container: _c, ...job } = example('Job');
    for (const runner of [
      { shell: { command: 'echo ${HOME}', env: {} } },
      { http: { url: 'https://x.example/run', method: 'POST', headers: { 'X-A': 'b' }, body: '{}' } },
      { exec: { app: 'api', command: ['php', 'artisan', 'schedule:run'] } },
    ]) {
      expectValid(v.Job, { ...job, ...runner });
    }
    expectValid(v.Job, {
      ...example('Job'),
      schedule: '@every 90s',
      missed: { policy: 'runOnce', deadline: '1h' },
    });

    const { slack: _s, ...notification } = example('Notification');
    for (const provider of [
      {
        webhook: {
          url: 'https://hooks.example/x',
          method: 'POST',
          headers: { Authorization: 'Bearer ${secret:T}' },
        },
      },
      { discord: { webhookUrl: 'https://discord.com/api/webhooks/1/x' } },
      { telegram: { botToken: '${secret:TG}', chatId: -1001234567890 } },
      {
        email: {
          smtp: {
            host: 'smtp.example.com',
            port: 587,
            username: 'u',
            password: '${secret:SMTP}',
            secure: false,
          },
          from: 'Ploy <ploy@example.com>',
          to: ['ops@example.com'],
        },
      },
      { ntfy: { url: 'https://ntfy.sh', topic: 'ploy' } },
    ]) {
      expectValid(v.Notification, { ...notification, ...provider });
    }

    expectValid(v.config, {
      source: {
        git: { url: 'https://git.example/acme/deploy.git', ref: 'main', dir: 'prod', interval: '1m' },
      },
      store: { url: 'postgres://user:pass@host/db' },
      sync: { selfHeal: '5m' },
    });
  });
});

describe('each kind rejects', () => {
  for (const kind of KIND_LIST) {
    it(`an unknown field in ${kind}, naming it`, () => {
      expectError(
        v[kind],
        { ...example(kind), imagee: 'x' },
        {
          keyword: 'additionalProperties',
          instancePath: '',
          params: { additionalProperty: 'imagee' },
        },
      );
    });

    it(`a ${kind} without a name`, () => {
      const { name: _n, ...doc } = example(kind);
      expectError(v[kind], doc, { keyword: 'required', params: { missingProperty: 'name' } });
    });

    it(`a bad name in ${kind}`, () => {
      for (const name of ['Web', 'web_1', '-web', 'web-', 'a'.repeat(64), '']) {
        expectError(v[kind], { ...example(kind), name }, { keyword: 'pattern', instancePath: '/name' });
      }
    });

    it(`an unknown field nested in ${kind}`, () => {
      const doc = example(kind);
      const nested = { App: 'update', Monitor: 'http', Job: 'container', Notification: 'slack' }[kind];
      doc[nested] = { ...(doc[nested] as Doc), colour: 'red' };
      expectError(v[kind], doc, {
        keyword: 'additionalProperties',
        instancePath: `/${nested}`,
        params: { additionalProperty: 'colour' },
      });
    });
  }

  it('an App with neither image nor build, or with both', () => {
    const { image: _i, ...app } = example('App');
    expectError(v.App, app, { keyword: 'oneOf', instancePath: '', params: { passingSchemas: null } });
    expectError(
      v.App,
      { ...app, image: 'x', build: { context: '.' } },
      {
        keyword: 'oneOf',
        params: { passingSchemas: [0, 1] },
      },
    );
  });

  it('a Job without schedule', () => {
    const { schedule: _s, ...job } = example('Job');
    expectError(v.Job, job, { keyword: 'required', params: { missingProperty: 'schedule' } });
  });

  it('two probes, runners or providers at once, with the indexes of the present ones', () => {
    expectError(
      v.Monitor,
      { ...example('Monitor'), tcp: { host: 'db', port: 5432 } },
      {
        keyword: 'oneOf',
        instancePath: '',
        schemaPath: '#/oneOf',
        params: { passingSchemas: [0, 1] },
      },
    );
    expectError(
      v.Job,
      { ...example('Job'), shell: { command: 'true' } },
      {
        keyword: 'oneOf',
        params: { passingSchemas: [0, 1] },
      },
    );
    expectError(
      v.Notification,
      { ...example('Notification'), ntfy: { topic: 'x' } },
      {
        keyword: 'oneOf',
        params: { passingSchemas: [1, 6] },
      },
    );
    expectError(
      v.config,
      { source: { path: '.', git: { url: 'https://x/y.git' } } },
      {
        keyword: 'oneOf',
        instancePath: '/source',
      },
    );
  });

  it('no probe, runner or provider (passingSchemas null, one required error per alternative)', () => {
    const { http: _h, ...monitor } = example('Monitor');
    const errors = expectError(v.Monitor, monitor, { keyword: 'oneOf', params: { passingSchemas: null } });
    expect(errors.filter((e) => e.schemaPath.startsWith('#/oneOf/')).map((e) => e.params.missingProperty)).toEqual([
      'http',
      'tcp',
      'dns',
      'tls',
      'docker',
      'push',
      'ping',
    ]);
    const { container: _c, ...job } = example('Job');
    expectError(v.Job, job, { keyword: 'oneOf', params: { passingSchemas: null } });
    const { slack: _s, ...notification } = example('Notification');
    expectError(v.Notification, notification, { keyword: 'oneOf', params: { passingSchemas: null } });
  });

  it('bad durations', () => {
    for (const bad of ['30', '30 s', '1h30m', '5min', '-5s', '']) {
      expectError(
        v.App,
        { ...example('App'), update: { monitor: bad } },
        {
          keyword: 'pattern',
          instancePath: '/update/monitor',
        },
      );
      expectError(v.Monitor, { ...example('Monitor'), interval: bad }, { keyword: 'pattern', instancePath: '/interval' });
      expectError(v.Job, { ...example('Job'), timeout: bad }, { keyword: 'pattern', instancePath: '/timeout' });
    }
    expectError(v.Monitor, { ...example('Monitor'), interval: 30 }, { keyword: 'type', instancePath: '/interval' });
    expectError(
      v.config,
      { source: { git: { url: 'https://x/y.git', interval: '1 minute' } } },
      {
        keyword: 'pattern',
        instancePath: '/source/git/interval',
      },
    );
    for (const ok of ['500ms', '30s', '5m', '6h', '2d']) {
      expectValid(v.Monitor, { ...example('Monitor'), interval: ok });
    }
  });

  it('bad ports', () => {
    for (const port of ['70000:3000', '0:80', '8080:65536', '80/sctp', 'a:80:80', '8080:', 80]) {
      expect(errorsOf(v.App, { ...example('App'), ports: [port] }).some((e) => e.instancePath === '/ports/0')).toBe(true);
    }
    expectError(
      v.App,
      { ...example('App'), routes: [{ host: 'a.example', port: 0 }] },
      {
        keyword: 'minimum',
        instancePath: '/routes/0/port',
      },
    );
    expectError(
      v.App,
      { ...example('App'), healthcheck: { http: { port: 70000 } } },
      {
        keyword: 'maximum',
        instancePath: '/healthcheck/http/port',
      },
    );
    const { http: _h, ...monitor } = example('Monitor');
    expectError(v.Monitor, { ...monitor, tcp: { host: 'db', port: 0 } }, { keyword: 'minimum', instancePath: '/tcp/port' });
    expectError(v.Monitor, { ...monitor, tcp: { host: 'db', port: '5432' } }, { keyword: 'type', instancePath: '/tcp/port' });
    const { container: _c, ...job } = example('Job');
    expectError(
      v.Job,
      { ...job, http: { url: 'https://x/y', expectStatus: 700 } },
      {
        keyword: 'maximum',
        instancePath: '/http/expectStatus',
      },
    );
    const { slack: _s, ...notification } = example('Notification');
    expectError(
      v.Notification,
      { ...notification, email: { smtp: { host: 'h', port: 65536 }, from: 'a@b.c', to: ['d@e.f'] } },
      {
        keyword: 'maximum',
        instancePath: '/email/smtp/port',
      },
    );
    expectError(v.config, { api: { listen: 'localhost' } }, { keyword: 'pattern', instancePath: '/api/listen' });
  });

  it('a wrong kind in a per-kind schema, and bad enum values', () => {
    expectError(v.App, { ...example('App'), kind: 'Job' }, { keyword: 'const', instancePath: '/kind' });
    expectError(v.App, { ...example('App'), restart: 'sometimes' }, { keyword: 'enum', instancePath: '/restart' });
    expectError(
      v.Notification,
      { ...example('Notification'), events: ['monitor.flapping'] },
      {
        keyword: 'enum',
        instancePath: '/events/0',
      },
    );
  });

  it('an http monitor port without app, and env values that are not strings', () => {
    expectError(
      v.Monitor,
      { ...example('Monitor'), http: { url: 'https://x/', port: 80 } },
      {
        keyword: 'dependentRequired',
        params: expect.objectContaining({ property: 'port', missingProperty: 'app' }),
      },
    );
    expectError(v.App, { ...example('App'), env: { PORT: 3000 } }, { keyword: 'type', instancePath: '/env/PORT' });
  });
});

describe('verbose errors (what messages are built from)', () => {
  it('carry the shared type as parentSchema.title, and the property description beside it', () => {
    v.Monitor({ ...example('Monitor'), interval: '5', notify: ['Ops'] });
    const byPath = new Map((v.Monitor.errors ?? []).map((e) => [e.instancePath, e]));
    expect(byPath.get('/interval')?.parentSchema?.title).toBe('duration');
    expect(byPath.get('/notify/0')?.parentSchema?.title).toBe('name');
    v.App({ ...example('App'), imagee: 'x' });
    const unknown = v.App.errors!.find((e) => e.keyword === 'additionalProperties')!;
    expect(Object.keys(unknown.parentSchema!.properties)).toContain('image');
  });

  it('give the alternatives of an "exactly one" error in schema', () => {
    const alternatives = (validate: ValidateFunction, doc: unknown) => {
      validate(doc);
      const e = validate.errors!.find((x) => x.keyword === 'oneOf')!;
      return (e.schema as { required: string[] }[]).map((branch) => branch.required[0]);
    };
    const { http: _h, ...monitor } = example('Monitor');
    expect(alternatives(v.Monitor, monitor)).toEqual(['http', 'tcp', 'dns', 'tls', 'docker', 'push', 'ping']);
    expect(alternatives(v.Monitor, { ...example('Monitor'), http: { url: 'https://x/', app: 'web', port: 1 } })).toEqual([
      'url',
      'app',
    ]);
    expect(alternatives(v.App, { ...example('App'), build: { context: '.' } })).toEqual(['image', 'build']);
    expect(alternatives(v.config, { source: {} })).toEqual(['path', 'git']);
  });
});

describe('the editor bundle (ploy.schema.json)', () => {
  it('dispatches on kind: the errors are those of that kind', () => {
    const { container: _c, ...job } = example('Job');
    const errors = errorsOf(bundle, { ...job, image: 'x', shell: { command: 'true' } });
    expect(errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'image' } }),
    );
    // The if/then wrapper names the branch: #/allOf/2 is Job.
    expect(errors).toContainEqual(expect.objectContaining({ keyword: 'if', schemaPath: '#/allOf/2/if' }));
    // Nothing from the App branch (where image would be fine) or the others.
    expect(errors.filter((e) => !['additionalProperties', 'if'].includes(e.keyword))).toEqual([]);
  });

  it('rejects an unknown or missing kind with a single error', () => {
    expect(errorsOf(bundle, { kind: 'Deployment', name: 'x' })).toEqual([
      expect.objectContaining({ keyword: 'enum', instancePath: '/kind' }),
    ]);
    expect(errorsOf(bundle, { name: 'x' })).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'kind' } }),
    ]);
  });
});

/** Every subschema with its JSON pointer, not descending into `if` (conditions, not documentation). */
function* walk(node: unknown, pointer: string): Generator<[AnySchemaObject, string]> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${pointer}/${i}`);
    return;
  }
  const schema = node as AnySchemaObject;
  yield [schema, pointer];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'if' || key === 'default' || key === 'examples' || key === 'const' || key === 'enum') continue;
    if (key === 'properties' || key === '$defs' || key === 'dependentSchemas') {
      for (const [name, sub] of Object.entries(value as object)) yield* walk(sub, `${pointer}/${key}/${name}`);
    } else {
      yield* walk(value, `${pointer}/${key}`);
    }
  }
}

const FILES = Object.entries(schemas) as [string, AnySchemaObject][];

describe('schema files', () => {
  it('are valid draft 2020-12 schemas and compile in strict mode with the meta-schema check on', () => {
    const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: true });
    for (const [, schema] of FILES) ajv.addSchema(schema);
    for (const [name, schema] of FILES) {
      expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText()}`).toBe(true);
      expect(ajv.getSchema(schema.$id as string), name).toBeTypeOf('function');
    }
  });

  it('have stable $ids named like their files', () => {
    expect(FILES.map(([, s]) => s.$id).sort()).toEqual(
      [
        'app.schema.json',
        'common.schema.json',
        'job.schema.json',
        'monitor.schema.json',
        'notification.schema.json',
        'ploy-config.schema.json',
        'ploy.schema.json',
      ].map((f) => `https://ploy.dev/schema/${f}`),
    );
  });

  it('describe every property', () => {
    const missing: string[] = [];
    for (const [name, schema] of FILES) {
      for (const [sub, pointer] of walk(schema, '')) {
        for (const [prop, propSchema] of Object.entries((sub.properties ?? {}) as Record<string, AnySchemaObject>)) {
          const text = propSchema.description;
          if (typeof text !== 'string' || text.trim().length < 8) missing.push(`${name}#${pointer}/properties/${prop}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('close every object with additionalProperties: false, except free maps (labels, env, headers, args)', () => {
    const open: string[] = [];
    for (const [name, schema] of FILES) {
      if (name === 'bundle') continue; // the dispatcher: each then-branch is closed
      for (const [sub, pointer] of walk(schema, '')) {
        if (sub.properties && sub.additionalProperties !== false) open.push(`${name}#${pointer}`);
        if (sub.type === 'object' && !sub.properties) {
          // A free map must say what its values are.
          if (typeof sub.additionalProperties !== 'object') open.push(`${name}#${pointer} (map without value type)`);
        }
      }
    }
    expect(open).toEqual([]);
  });

  it('give defaults that their own schema accepts', () => {
    const ajv = createAjv();
    let checked = 0;
    for (const [name, schema] of FILES) {
      if (name === 'bundle') continue;
      for (const [sub, pointer] of walk(schema, '')) {
        if (!('default' in sub)) continue;
        const validate = ajv.compile({ $ref: `${schema.$id}#${pointer}` });
        expect(validate(sub.default), `${name}#${pointer}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('give the defaults FORMAT.md names', () => {
    const d = (s: AnySchemaObject, ...path: string[]): unknown =>
      path.reduce<AnySchemaObject>((n, p) => n.properties[p], s).default;
    expect(d(schemas.App, 'replicas')).toBe(1);
    expect(d(schemas.App, 'restart')).toBe('unless-stopped');
    expect(d(schemas.App, 'update', 'order')).toBe('auto');
    expect(d(schemas.App, 'update', 'onFailure')).toBe('rollback');
    expect(schemas.App.properties.routes.items.properties.tls.default).toBe('auto');
    expect(d(schemas.Monitor, 'interval')).toBe('60s');
    expect(d(schemas.Monitor, 'timeout')).toBe('10s');
    expect(d(schemas.Monitor, 'retries')).toBe(0);
    expect(d(schemas.Monitor, 'failureThreshold')).toBe(3);
    expect(d(schemas.Monitor, 'successThreshold')).toBe(2);
    expect(d(schemas.Job, 'timezone')).toBe('UTC');
    expect(d(schemas.Job, 'timeout')).toBe('1h');
    expect(d(schemas.Job, 'retries')).toBe(0);
    expect(d(schemas.Job, 'concurrency')).toBe('forbid');
    expect(d(schemas.Job, 'suspend')).toBe(false);
    expect(d(schemas.Notification, 'events')).toEqual(schemas.common.$defs.events.enum);
    expect(d(schemas.config, 'sync', 'auto')).toBe(true);
    expect(d(schemas.config, 'sync', 'prune')).toBe(true);
    expect(d(schemas.config, 'store', 'url')).toBe('embedded');
  });

  it('compileKindValidators is memoized', () => {
    expect(compileKindValidators()).toBe(v);
  });
});
