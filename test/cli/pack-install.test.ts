import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/caddy.js';
import { until } from '../support/serve-process.js';

/**
 * Ploy installed as a Node CLI: the built tree (npm test builds it first) packed once with
 * `npm pack`, installed with `npm install -g` into an empty prefix (its dependencies from npm's
 * cache, the one `npm ci` filled; the registry only for what is not cached), and run from a
 * folder outside the repo, where nothing of the repo can be found by walking up.
 */

const ROOT = join(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const run = promisify(execFile);
// The shebang of bin/ploy.js asks env for `node`: the one running the tests.
const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
// Docker is never touched: the scaffold's app would otherwise be deployed on the test machine's daemon.
const ENV = { PATH, HOME: process.env.HOME ?? tmpdir(), DOCKER_HOST: 'unix:///run/ploy-test-no-docker.sock' };

interface Packed {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

let tmp: string;
let packed: Packed;
let prefix: string;
let ploy: string;
let work: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ploy-pack-'));
  // --ignore-scripts: pack the tree as built, without prepack's rebuild under other tests' feet.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: ROOT,
    env: { ...process.env, PATH },
  });
  packed = (JSON.parse(pack.stdout) as Packed[])[0];
  prefix = join(tmp, 'prefix');
  const flags = ['--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  await run('npm', ['install', '-g', ...flags, join(tmp, packed.filename)], { cwd: tmp, env: { ...process.env, PATH } });
  ploy = join(prefix, 'bin', 'ploy');
  work = await mkdtemp(join(tmpdir(), 'ploy-outside-'));
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

/** The installed `ploy`, as a user's shell runs it, in `cwd`. */
async function ployIn(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(ploy, args, { cwd, env: ENV, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('ploy packed with npm pack and installed with npm install -g', () => {
  it('packs the CLI, the schemas and the web UI, and nothing else, in under 1 MB', () => {
    const paths = packed.files.map((f) => f.path);
    const allowed =
      /^(bin\/ploy\.js|dist\/cli\/[^/]+\.c?js|schema\/[^/]+\.(json|graphql)|web\/dist\/.+|README\.md|LICENSE|package\.json)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    for (const p of ['bin/ploy.js', 'dist/cli/main.js', 'dist/cli/standalone-validators.cjs', 'web/dist/index.html'])
      expect(paths).toContain(p);
    for (const f of readdirSync(join(ROOT, 'schema'))) expect(paths).toContain(`schema/${f}`);
    expect(paths.some((p) => p.startsWith('web/dist/assets/'))).toBe(true);
    expect(packed.size).toBeLessThan(1_000_000);
    console.log(`${packed.filename}: ${packed.size} bytes packed, ${packed.entryCount} files`);
  });

  it('installs every package the CLI imports with it', async () => {
    const dir = join(prefix, 'lib', 'node_modules', 'ploy', 'dist', 'cli');
    const imported = new Set<string>();
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w./-]+)?)["']/g,
      ))
        if (!m[1].startsWith('node:')) imported.add(m[1]);
    }
    expect(imported).toContain('commander');
    // Resolved from the installed package, as its modules resolve them: only its dependencies are there.
    // (ESM's rules for import, CommonJS's for require: either finding it is enough.)
    const script = `import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const found = (s) => { try { return import.meta.resolve(s); } catch { try { return require.resolve(s); } catch { return undefined; } } };
      console.log(JSON.stringify(${JSON.stringify([...imported])}.filter((s) => !found(s))));`;
    const r = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: ENV });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it("prints the package's version and writes completion scripts", async () => {
    for (const flag of ['--version', '-V'])
      expect(await ployIn(work, [flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const bash = await ployIn(work, ['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _ploy ploy');
  });

  it('scaffolds a config repo outside the repo, then validates and plans it', async () => {
    const init = await ployIn(work, ['init', 'demo']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created demo/ploy.config.yaml');
    const demo = join(work, 'demo');
    const validate = await ployIn(demo, ['validate']);
    expect(validate).toMatchObject({ code: 0, stderr: '' });
    expect(validate.stdout).toContain('Valid: 4 resources');
    const plan = await ployIn(demo, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 4 to create, 0 to update, 0 to replace, 0 to delete.');
  }, 120_000);

  it('serves /healthz and the web UI of the installed package', async () => {
    expect((await ployIn(work, ['init', 'served'])).code).toBe(0);
    const port = await freePort();
    const serve = spawn(ploy, ['serve'], {
      cwd: join(work, 'served'),
      env: { ...ENV, PLOY_API_LISTEN: `127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    serve.stdout.on('data', (d) => (log += d));
    serve.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((r) => serve.on('exit', r));
    try {
      const health = await until(
        '/healthz',
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          return res.status === 200 && ((await res.json()) as { status: string; version: string });
        },
        90_000,
      ).catch((e: Error) => Promise.reject(new Error(`${e.message}; ploy serve wrote:\n${log}`)));
      expect(health).toMatchObject({ status: 'ok', version: VERSION });
      const ui = await fetch(`http://127.0.0.1:${port}/`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');
      expect(await ui.text()).toBe(
        readFileSync(join(prefix, 'lib', 'node_modules', 'ploy', 'web', 'dist', 'index.html'), 'utf8'),
      );
    } finally {
      serve.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
