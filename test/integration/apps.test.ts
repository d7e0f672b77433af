import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { type ContainerSummary, PLOY_LABELS, type RuntimeEvent } from '../../engine/ports/container-runtime.js';
import { makeDir, ploy, seedEmbeddedStore, writeFiles } from '../support/cli.js';
import { dockerAvailable, ensureTestImage, requireDocker, startFakeRegistry, testDocker } from '../support/docker.js';

/**
 * Apps on a real Docker Engine, through the real CLI: deploy, no-op, start-first and
 * stop-first rollouts, rollback, drift, prune, dependsOn, builds and the preDeploy hook.
 * Every name carries this run's id, so parallel runs on one daemon never meet.
 */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const NET = `ploytest-${RUN}`;
const runtime = new DockerRuntime();

// httpd as PID 1 would ignore SIGTERM (and every stop would wait Docker's 10 s): the shell exits on it.
const serving = (setup: string) => `${setup}; trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait`;
const SERVE = serving('mkdir -p /www && echo "$GREETING" > /www/index.html');

interface AppOpts {
  greeting?: string;
  command?: string;
  extra?: string;
}

/** A busybox web app serving $GREETING on 8080, healthy (by a Docker health check) once the port answers. */
const webApp = (name: string, o: AppOpts = {}) => `
kind: App
name: ${name}
image: ${IMAGE}
command: ${JSON.stringify(o.command ?? SERVE)}
env: {GREETING: ${o.greeting ?? 'v1'}}
networks: [${NET}]
healthcheck:
  cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"]
  interval: 1s
  timeout: 2s
  retries: 2
update: {monitor: 1s}
${o.extra ?? ''}
`;

/** A project folder: ploy.config.yaml, an embedded store, and resource files under src/. */
async function project(files: Record<string, string>) {
  const dir = await makeDir({
    'ploy.config.yaml': 'source: {path: ./src}\nstore: {url: embedded}\n',
    ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`src/${k}`, v])),
  });
  await seedEmbeddedStore(join(dir, '.ploy'));
  return {
    dir,
    run: (...args: string[]) => ploy(args, { cwd: dir, docker: true }),
    write: (more: Record<string, string>) => writeFiles(join(dir, 'src'), more),
    remove: (file: string) => rm(join(dir, 'src', file)),
    async store<T>(use: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
      const s = await openStore('embedded', { embeddedDir: join(dir, '.ploy') });
      try {
        return await use(s);
      } finally {
        await s.close();
      }
    },
  };
}

const containersOf = (app: string) => runtime.listManaged({ [PLOY_LABELS.app]: app, 'ploy.role': 'app' });

async function page(c: ContainerSummary): Promise<string> {
  const ip = (await runtime.inspect(c.id)).networks.find((n) => n.ip)?.ip;
  const res = await fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(3000) });
  return (await res.text()).trim();
}

/** Docker's events for one app's containers while `during` runs. */
async function eventsDuring(app: string, during: () => Promise<unknown>): Promise<RuntimeEvent[]> {
  const stop = new AbortController();
  const stream = await runtime.events({ types: ['container'], labels: { [PLOY_LABELS.app]: app } }, stop.signal);
  const seen: RuntimeEvent[] = [];
  const reading = (async () => {
    for await (const e of stream) seen.push(e);
  })().catch(() => undefined);
  await during();
  await new Promise((r) => setTimeout(r, 300));
  stop.abort();
  await reading;
  return seen;
}

const step = (events: RuntimeEvent[], action: string, detail: string | undefined, id: string) =>
  events.findIndex((e) => e.action === action && e.id === id && (detail === undefined || e.detail === detail));

beforeAll(async () => {
  if (await dockerAvailable()) await ensureTestImage(IMAGE);
}, 120_000);

afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  const all = await docker.listContainers({ all: true, filters: { label: [PLOY_LABELS.app] } });
  for (const c of all) if (c.Labels[PLOY_LABELS.app]?.endsWith(RUN)) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks())
    if (n.Name.includes(RUN))
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
  for (const v of (await docker.listVolumes()).Volumes ?? [])
    if (v.Name.includes(RUN))
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined);
});

beforeEach(async (ctx) => {
  await requireDocker(ctx);
});

describe('an app on Docker', () => {
  const name = `web-${RUN}`;
  let p: Awaited<ReturnType<typeof project>>;

  beforeAll(async () => {
    p = await project({ 'web.yaml': webApp(name) });
  });

  it('deploys on first apply, healthy and labelled, and then plans no changes', async () => {
    const applied = await p.run('apply', '--auto-approve');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const [c, ...more] = await containersOf(name);
    expect(more).toEqual([]);
    expect(c.state).toBe('running');
    expect(c.health).toBe('healthy');
    expect(c.name).toMatch(new RegExp(`^${name}\\.1\\.[0-9a-f]{6}$`));
    expect(c.labels[PLOY_LABELS.managed]).toBe('true');
    expect(c.labels[PLOY_LABELS.specHash]).toMatch(/^[0-9a-f]{16}$/);
    expect(await page(c)).toBe('v1');

    const again = await p.run('plan', '--detailed-exitcode');
    expect(again.stdout).toContain('No changes');
    expect(again.code).toBe(0);
    const history = await p.store((s) => s.listDeployments({ app: name }));
    expect(history).toMatchObject([{ status: 'succeeded', strategy: 'create', image: IMAGE, containers: [c.name] }]);
    expect(history[0].imageDigest).toMatch(/^sha256:/);
  }, 60_000);

  it('rolls an env change out start-first: the new container is healthy before the old one stops', async () => {
    const [old] = await containersOf(name);
    await p.write({ 'web.yaml': webApp(name, { greeting: 'v2' }) });
    const plan = await p.run('plan');
    expect(plan.stdout).toContain('env changed');
    expect(plan.stdout).toContain('rollout: start-first');

    const events = await eventsDuring(name, async () => expect((await p.run('apply', '--auto-approve')).code).toBe(0));
    const [now] = await containersOf(name);
    expect(now.id).not.toBe(old.id);
    expect(await page(now)).toBe('v2');
    const healthy = step(events, 'health_status', 'healthy', now.id);
    const oldStops = step(events, 'kill', undefined, old.id);
    expect(healthy).toBeGreaterThanOrEqual(0);
    expect(oldStops).toBeGreaterThan(healthy);
    expect(await containersOf(name)).toHaveLength(1);
  }, 60_000);

  it('rolls back a failing update: the old container keeps serving, the failure is recorded with its log', async () => {
    const [old] = await containersOf(name);
    // Starts, says why it is about to fail, and never listens: the health check cannot pass.
    await p.write({ 'web.yaml': webApp(name, { greeting: 'v3', command: 'echo "migrations missing" >&2; exec sleep 300' }) });
    const applied = await p.run('apply', '--auto-approve');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/health check failed|not healthy/);
    expect(applied.stdout).toContain('rolled back');

    const [still, ...more] = await containersOf(name);
    expect(more).toEqual([]);
    expect(still.id).toBe(old.id);
    expect(still.state).toBe('running');
    expect(await page(still)).toBe('v2');

    const [failed] = await p.store((s) => s.listDeployments({ app: name, limit: 1 }));
    expect(failed.status).toBe('rolled-back');
    expect(failed.logTail).toContain('migrations missing');
    const events = await p.store((s) => s.listEvents({ type: 'deploy.failed' }));
    expect(events[0]).toMatchObject({ resource: `App/${name}` });
    const failures = await p.store((s) => s.listDeployFailures());
    expect(failures.map((f) => f.app)).toContain(name);

    // The plan still shows the change git asks for: nothing pretends it was applied.
    expect((await p.run('plan', '--detailed-exitcode')).code).toBe(2);
    await p.write({ 'web.yaml': webApp(name, { greeting: 'v2' }) });
    expect((await p.run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 90_000);

  it('detects a container stopped by hand as drift and heals it on apply', async () => {
    const [c] = await containersOf(name);
    await runtime.stop(c.id, { timeoutSeconds: 1 });
    const plan = await p.run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`drift: container ${c.name} is exited`);
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    const [healed, ...more] = await containersOf(name);
    expect(more).toEqual([]);
    expect(healed.state).toBe('running');
    expect((await p.run('plan', '--detailed-exitcode')).code).toBe(0);
  }, 60_000);

  it('detects a container removed by hand and recreates it', async () => {
    const [c] = await containersOf(name);
    await runtime.remove(c.id, { force: true });
    const plan = await p.run('plan');
    expect(plan.stdout).toContain('no container is there');
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    expect((await containersOf(name)).map((x) => x.state)).toEqual(['running']);
  }, 60_000);

  it('prunes an app removed from the source, and never touches a container without Ploy labels', async () => {
    const docker = testDocker();
    const stranger = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '300'], name: `stranger-${RUN}` });
    await stranger.start();
    // Something must stay declared: an empty source never prunes.
    await p.write({ 'other.yaml': `kind: Notification\nname: ops-${RUN}\nwebhook: {url: "http://127.0.0.1:9/hook"}\n` });
    await p.remove('web.yaml');
    const plan = await p.run('plan');
    expect(plan.stdout).toMatch(new RegExp(`- App ${name}`));
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    expect(await containersOf(name)).toEqual([]);
    expect((await stranger.inspect()).State.Running).toBe(true);
    await stranger.remove({ force: true });
  }, 60_000);
});

describe('operating a deployed app', () => {
  const name = `ops-${RUN}`;
  const secretApp = (greeting: string) =>
    webApp(name, { greeting, command: `echo "started $GREETING"; ${SERVE}`, extra: 'labels: {tier: web}' }).replace(
      `env: {GREETING: ${greeting}}`,
      `env: {GREETING: ${greeting}, TOKEN: "\${secret:TOKEN}"}`,
    );
  let p: Awaited<ReturnType<typeof project>>;

  beforeAll(async () => {
    if (!(await dockerAvailable())) return;
    p = await project({ 'app.yaml': secretApp('v1') });
    await writeFiles(p.dir, {
      'ploy.config.yaml': 'source: {path: ./src}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
      'secrets/TOKEN': 's3cr3t-value\n',
    });
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    await p.write({ 'app.yaml': secretApp('v2') });
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
  }, 60_000);

  it('hands the secret to the container but never to labels, plans or the store', async () => {
    const [c] = await containersOf(name);
    expect((await runtime.exec(c.id, ['sh', '-c', 'echo $TOKEN'])).output.trim()).toBe('s3cr3t-value');
    expect(JSON.stringify(c.labels)).not.toContain('s3cr3t');
    const deployments = await p.store((s) => s.listDeployments({ app: name }));
    expect(JSON.stringify(deployments)).not.toContain('s3cr3t');
    expect((await p.run('plan', '--format', 'json')).stdout).not.toContain('s3cr3t');
  });

  it('prints its logs (tail, since) and runs commands in it by app name', async () => {
    const logs = await p.run('logs', name, '--tail', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('started v2');
    expect((await p.run('logs', name, '--since', '1h')).stdout).toContain('started v2');
    const exec = await p.run('exec', name, '--', 'cat', '/www/index.html');
    expect(exec).toMatchObject({ code: 0, stdout: 'v2\n' });
    expect((await p.run('exec', name, '--', 'sh', '-c', 'exit 7')).code).toBe(7);
    const nothing = await p.run('logs', `nothing-${RUN}`);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(`app nothing-${RUN} has no containers`);
  });

  it('rolls back to the previous successful deployment, with its secret, and says to revert in git', async () => {
    const rolled = await p.run('rollback', name, '--auto-approve');
    expect(rolled.stderr).toBe('');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain('revert the change in git');
    const [c] = await containersOf(name);
    expect(await page(c)).toBe('v1');
    expect((await runtime.exec(c.id, ['sh', '-c', 'echo $TOKEN'])).output.trim()).toBe('s3cr3t-value');
    // Git still says v2: the next plan shows it.
    const plan = await p.run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('env changed');
  }, 60_000);
});

describe('apps that depend on each other', () => {
  it('deploys a dependency until healthy before its dependant starts, and independent apps side by side', async () => {
    const [db, api, cache] = [`db-${RUN}`, `api-${RUN}`, `cache-${RUN}`];
    const p = await project({
      'api.yaml': webApp(api, { extra: `dependsOn: [${db}]` }),
      'db.yaml': webApp(db),
      'cache.yaml': webApp(cache),
    });
    const applied = await p.run('apply', '--auto-approve');
    expect(applied.stdout + applied.stderr).not.toContain('✗');
    expect(applied.code).toBe(0);
    const [dbDeploy] = await p.store((s) => s.listDeployments({ app: db }));
    const [apiDeploy] = await p.store((s) => s.listDeployments({ app: api }));
    const [cacheDeploy] = await p.store((s) => s.listDeployments({ app: cache }));
    expect(dbDeploy.finishedAt!.getTime()).toBeLessThanOrEqual(apiDeploy.startedAt.getTime());
    // Nothing orders cache and db: both roll out at once.
    expect(cacheDeploy.startedAt.getTime()).toBeLessThan(dbDeploy.finishedAt!.getTime());
    expect(dbDeploy.startedAt.getTime()).toBeLessThan(cacheDeploy.finishedAt!.getTime());
    // On the shared network, the dependant reaches its dependency by app name.
    const [apiContainer] = await containersOf(api);
    const reached = await runtime.exec(apiContainer.id, ['sh', '-c', `nc -w 2 ${db} 8080 </dev/null && echo reached`]);
    expect(reached.output).toContain('reached');
  }, 90_000);
});

describe('an app publishing a fixed host port', () => {
  it('rolls out stop-first, and the plan says why', async () => {
    const name = `fixed-${RUN}`;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const extra = `ports: ["127.0.0.1:${port}:8080"]`;
    const p = await project({ 'fixed.yaml': webApp(name, { extra }) });
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    const [old] = await containersOf(name);
    await p.write({ 'fixed.yaml': webApp(name, { extra, greeting: 'v2' }) });
    const plan = await p.run('plan');
    expect(plan.stdout).toContain(`rollout: stop-first (host port ${port}/tcp is fixed and there is one replica`);
    const events = await eventsDuring(name, async () => expect((await p.run('apply', '--auto-approve')).code).toBe(0));
    const [now] = await containersOf(name);
    expect(step(events, 'die', undefined, old.id)).toBeLessThan(step(events, 'start', undefined, now.id));
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect((await res.text()).trim()).toBe('v2');
  }, 90_000);
});

describe('an app built from a context in the repository', () => {
  it('builds the image, keeps the build log, and runs it', async () => {
    const name = `built-${RUN}`;
    const p = await project({
      'built/Dockerfile': `FROM ${IMAGE}\nRUN mkdir -p /www && echo built-${RUN} > /www/index.html\n`,
      'built.yaml': webApp(name, { command: serving('true') }).replace(`image: ${IMAGE}`, 'build: {context: ./built}'),
    });
    const applied = await p.run('apply', '--auto-approve');
    expect(applied.code).toBe(0);
    const [c] = await containersOf(name);
    expect(c.image).toMatch(new RegExp(`^ploy/${name}:[0-9a-f]{12}$`));
    expect(await page(c)).toBe(`built-${RUN}`);
    const detail = await p.store(async (s) => (await s.getApply((await s.listApplies({ limit: 1 }))[0].id))!.results[0].detail);
    expect((detail as { buildLog: string[] }).buildLog.join('\n')).toContain('RUN mkdir -p /www');
  }, 90_000);
});

describe('an image from a private registry', () => {
  it('is pulled with the credentials of registries (a secret), and its digest is recorded', async () => {
    const registry = await startFakeRegistry({ username: 'ci', password: 'reg-s3cret' });
    const name = `private-${RUN}`;
    const p = await project({
      'app.yaml': `kind: App\nname: ${name}\nimage: ${registry.goodRef}\npull: always\nupdate: {monitor: 1s}\n`,
    });
    await writeFiles(p.dir, {
      'ploy.config.yaml': `source: {path: ./src}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\nregistries: [{server: "${registry.host}", username: ci, password: "\${secret:REGISTRY}"}]\n`,
      'secrets/REGISTRY': 'reg-s3cret',
    });
    const applied = await p.run('apply', '--auto-approve');
    // The fake registry's image holds one file and no program: the pull works, the start cannot.
    expect(applied.stdout).not.toMatch(/pull .* failed|unauthorized/i);
    expect(registry.requests.some((r) => r.url.includes('/manifests/') && r.authorized)).toBe(true);
    const [d] = await p.store((s) => s.listDeployments({ app: name }));
    expect(d.imageDigest).toBe(`${registry.host}/good/app@${registry.goodDigest}`);
    expect(applied.stdout + applied.stderr).not.toContain('reg-s3cret');

    await writeFiles(p.dir, { 'secrets/REGISTRY': 'wrong' });
    const refused = await p.run('apply', '--auto-approve');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/pull|unauthorized|authentication/i);
    await registry.stop();
  }, 60_000);
});

describe('the preDeploy hook', () => {
  it('runs from the new image before the rollout, and a failing hook leaves the running version alone', async () => {
    const name = `hooked-${RUN}`;
    const hook = (cmd: string) => `hooks: {preDeploy: {command: ${JSON.stringify(cmd)}}}`;
    const p = await project({ 'app.yaml': webApp(name, { extra: hook('echo migrated') }) });
    expect((await p.run('apply', '--auto-approve')).code).toBe(0);
    const [running] = await containersOf(name);

    await p.write({ 'app.yaml': webApp(name, { greeting: 'v2', extra: hook('echo "cannot migrate: $GREETING"; exit 3') }) });
    const applied = await p.run('apply', '--auto-approve');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('preDeploy hook exited with code 3');
    const [still, ...more] = await containersOf(name);
    expect(more).toEqual([]);
    expect(still.id).toBe(running.id);
    const [failed] = await p.store((s) => s.listDeployments({ app: name, limit: 1 }));
    expect(failed.logTail).toEqual(['cannot migrate: v2']);
    // The hook's container is gone too.
    expect(await runtime.listManaged({ [PLOY_LABELS.app]: name, 'ploy.role': 'pre-deploy' })).toEqual([]);
  }, 90_000);
});
