/**
 * Plan benchmark (issue 2). Not a test: it prints figures and the command that produced them.
 *
 * 1. `ploy plan` of 1,000 and 10,000 generated resources (all four kinds) against a stored state
 *    where 10% changed, on the embedded store and on PostgreSQL: wall time and peak RSS of the
 *    whole CLI process (median of 3), with a phase breakdown and a CPU profile of the 10k plans.
 * 2. Where terraform is installed: `terraform plan` of 1,000 equivalent `terraform_data`
 *    resources with 10% changed; then the Ploy/Terraform ratios against the targets, from
 *    runs of the three plans in turn (so that a slow spell of a shared machine falls on all).
 * 3. In the format of Flux's published benchmark: first apply and no-op plan at 100, 500, 1,000.
 *
 * Run: npm run bench:plan   (= npm run build && node --expose-gc dist/test/bench/plan-bench.js)
 * PLOY_BENCH_DATABASE_URL=postgres://... uses that server instead of a throwaway one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_KINDS, type BenchKind, countsFor, NO_APPS, writePloyRepo, writeTerraform } from './plan-bench/generate.js';
import {
  type Figure,
  fluxDuration,
  fluxMemory,
  mb,
  medianOf,
  type Run,
  secs,
  spread,
  table,
  timed,
} from './plan-bench/measure.js';
import { type ProfileSummary, profileRun } from './plan-bench/profile.js';
import { type PgServer, precreate, seedApplied, startPg, writeConfig } from './plan-bench/stores.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const PLOY = path.join(ROOT, 'bin/ploy.js');
const PHASES = path.join(HERE, 'plan-bench/phases.js');
const RUNS = 3;
/** Rounds of the 1,000-resource plans taken in turn (terraform, embedded, PostgreSQL) for the ratios. */
const RATIO_ROUNDS = 7;
const PLAN_SIZES = [1000, 10_000];
const FLUX_SIZES = [100, 500, 1000];
/** Flux v2.6.0 RESULTS.md (github.com/fluxcd/flux-benchmark): Kustomization, kustomize-controller. */
const FLUX: Record<number, { duration: string; memory: string }> = {
  100: { duration: '28s', memory: '32Mi' },
  500: { duration: '2m2s', memory: '122Mi' },
  1000: { duration: '4m16s', memory: '175Mi' },
};

type StoreName = 'embedded' | 'postgresql';
const started = performance.now();
const log = (s = '') => console.log(s);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

/**
 * Where the CLI looks for Docker: a socket that does not exist. The scenario is a plan against
 * the stored state, as issue 2 describes it; a reachable daemon (someone else's on this machine)
 * would make every seeded app a missing container and the plan a replace of all of them.
 */
const NO_DOCKER = 'unix:///run/ploy-bench-no-docker.sock';
/** The CLI's environment: nothing that would override the config's store (DATABASE_URL, PLOY_*), no Docker. */
const cliEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('PLOY_'))),
  DOCKER_HOST: NO_DOCKER,
};
const ploy = (args: string[], cwd: string, ok: number[] = [0]): Run =>
  timed(process.execPath, [PLOY, ...args], { cwd, env: cliEnv }, ok);

function findTerraform(): string | undefined {
  if (fs.existsSync('/usr/local/bin/terraform')) return '/usr/local/bin/terraform';
  const r = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

function header(tf: string | undefined, pg: PgServer | undefined, pgError: string | undefined): void {
  const cpus = os.cpus();
  log('# Ploy plan benchmark (issue 2)');
  log();
  log(
    `machine:   ${os.availableParallelism()} CPUs (nproc ${execFileSync('nproc', { encoding: 'utf8' }).trim()}), ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
  );
  log(
    `node:      ${process.version}; load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on this machine skews figures)`,
  );
  log(
    `terraform: ${tf ? `${execFileSync(tf, ['version'], { encoding: 'utf8', env: tfEnv() }).split('\n')[0]} (${tf})` : 'not installed: Terraform comparison skipped'}`,
  );
  log(`docker:    DOCKER_HOST=${NO_DOCKER} (does not exist) for every ploy process: apps compare with the store`);
  log(`postgres:  ${pg ? pg.describe : `unavailable (${pgError}): PostgreSQL figures skipped`}`);
  log(`command:   cd ${ROOT} && npm run bench:plan   (= npm run build && node --expose-gc dist/test/bench/plan-bench.js)`);
  log(
    `measured:  each figure is one whole CLI process, as a user waits for it: /usr/bin/time -f '%e %M %U %S' node bin/ploy.js <cmd> --config CFG ...`,
  );
  log(
    `           wall = %e (elapsed s), CPU = %U + %S (user + system s, all threads), peak memory = %M (max RSS of the ploy process; a PostgreSQL server's own memory is not in it); median of ${RUNS} runs.`,
  );
  log();
}

// ---------------------------------------------------------------- 1. plan with 10% changed

interface PlanResult {
  fig: Figure;
  summary: Record<string, number>;
  seeded: { resources: number; seconds: number };
  /** Runs this plan again, as measured. */
  rerun: () => Run;
}

/** The store URL for one scenario: embedded, or a new database. */
async function storeUrl(store: StoreName, pg: PgServer | undefined): Promise<string> {
  return store === 'embedded' ? 'embedded' : (pg as PgServer).freshDatabase();
}

function expectedChanges(n: number, kinds: readonly BenchKind[]): number {
  let e = 0;
  for (const c of countsFor(n, kinds).values()) e += Math.ceil(c / 10);
  return e;
}

async function planScenarios(work: string, stores: StoreName[], pg: PgServer | undefined) {
  const results = new Map<string, PlanResult>();
  const profiles = new Map<string, ProfileSummary>();
  const phases = new Map<string, { totalMs: number; phases: Array<{ phase: string; ms: number; rssMb: number }> }>();
  log('## 1. `ploy plan` against a stored state where 10% changed (App, Monitor, Job, Notification in equal parts)');
  log();
  log('Apps cannot be deployed without Docker, so "applied" is seeded through the Store port (startApply +');
  log('recordChangeResult with the put `ploy apply` would write, + finishApply) from the unchanged repo; then');
  log('the plan reads a copy of the repo in which one field of every tenth resource of each kind changed');
  log('(App image tag, Monitor interval, Job command, Notification url). ~10 resources per file, a folder per kind.');
  log();
  for (const n of PLAN_SIZES) {
    const base = path.join(work, `repo-${n}-base`);
    const changed = path.join(work, `repo-${n}-changed`);
    writePloyRepo(base, n, ALL_KINDS, 0);
    writePloyRepo(changed, n, ALL_KINDS, 1);
    const v = ploy(['validate', '--source', changed, '--format', 'json'], work, [0, 1]);
    const valid = JSON.parse(v.stdout) as { valid: boolean; diagnostics: unknown[] };
    if (!valid.valid) throw new Error(`generated repo is invalid: ${JSON.stringify(valid.diagnostics.slice(0, 3))}`);
    log(
      `${n} resources: generated ${countFiles(changed)} files; \`ploy validate\`: valid (${secs(v.wallS)}, ${mb(v.rssKb / 1024)})`,
    );
    for (const store of stores) {
      const dir = path.join(work, `plan-${n}-${store}`);
      const config = writeConfig(dir, changed, await storeUrl(store, pg));
      const seeded = await seedApplied(config, base);
      (globalThis as { gc?: () => void }).gc?.();
      const rerun = () => ploy(['plan', '--config', config, '--format', 'json'], dir);
      const fig = medianOf(RUNS, rerun);
      const doc = JSON.parse(fig.runs[0].stdout) as { summary: Record<string, number>; changes: unknown[] };
      results.set(`${n}/${store}`, { fig, summary: doc.summary, seeded, rerun });
      log(
        `  ${store.padEnd(10)} seeded ${seeded.resources} applied rows in ${seeded.seconds.toFixed(1)} s; plan: ${secs(fig.wallS)} wall, ${secs(fig.cpuS)} CPU, ${mb(fig.rssMb)} peak  (${spread(fig)})` +
          `\n  ${''.padEnd(10)} plan summary ${JSON.stringify(doc.summary)} — expected ${expectedChanges(n, ALL_KINDS)} changes (10%)  [${elapsed()}]`,
      );
      if (n === 1000 && process.env.NODE_EXTRA_CA_CERTS) {
        // Node reads every certificate of that file at each start, before any of Ploy runs; a
        // plan opens no TLS connection. Shown beside, not instead: the verdicts use the line above.
        const { NODE_EXTRA_CA_CERTS: _certs, ...bare } = cliEnv;
        const b = medianOf(RUNS, () =>
          timed(process.execPath, [PLOY, 'plan', '--config', config, '--format', 'json'], { cwd: dir, env: bare }),
        );
        log(
          `  ${''.padEnd(10)} the same without NODE_EXTRA_CA_CERTS (set on this machine; Node loads that file at every start): ${secs(b.wallS)} wall  (${spread(b)})`,
        );
      }
      if (n === 10_000) {
        const ph = spawnSync(process.execPath, [PHASES, config], { cwd: dir, env: cliEnv, encoding: 'utf8' });
        if (ph.status === 0) phases.set(store, JSON.parse(ph.stdout));
        else log(`  phase breakdown failed: ${ph.stderr.slice(-500)}`);
        profiles.set(
          store,
          profileRun(PLOY, ['plan', '--config', config, '--format', 'json'], {
            cwd: dir,
            env: cliEnv,
            root: ROOT,
          }),
        );
      }
    }
    log();
  }
  const rows: string[][] = [];
  for (const n of PLAN_SIZES)
    for (const store of stores) {
      const r = results.get(`${n}/${store}`) as PlanResult;
      const s = r.summary;
      rows.push([
        n.toLocaleString('en-US'),
        store,
        secs(r.fig.wallS),
        mb(r.fig.rssMb),
        `${s.update} update, ${s.replace} replace, ${s.create} create, ${s.delete} delete`,
      ]);
    }
  log(table(['resources', 'store', 'plan wall (median)', 'peak RSS (median)', 'plan summary'], rows));
  log();
  return { results, profiles, phases };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

// ---------------------------------------------------------------- 2. Terraform

function tfEnv(dir?: string): NodeJS.ProcessEnv {
  const rc = path.join(os.tmpdir(), 'ploy-bench-empty.tfrc');
  if (!fs.existsSync(rc)) fs.writeFileSync(rc, '');
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    ...(dir ? { TF_DATA_DIR: path.join(dir, '.terraform') } : {}),
  };
}

function terraformScenario(tf: string, work: string): { apply: Run; plan: Figure; summaryLine: string; rerun: () => Run } {
  const n = 1000;
  const dir = path.join(work, 'terraform-1000');
  writeTerraform(dir, n, ALL_KINDS, 0);
  const env = tfEnv(dir);
  const tfRun = (args: string[], ok = [0]) => timed(tf, args, { cwd: dir, env }, ok);
  const init = tfRun(['init', '-input=false', '-no-color']);
  const apply = tfRun(['apply', '-auto-approve', '-input=false', '-no-color']);
  writeTerraform(dir, n, ALL_KINDS, 1);
  const rerun = () => tfRun(['plan', '-input=false', '-no-color', '-detailed-exitcode'], [2]);
  const plan = medianOf(RUNS, rerun);
  const summaryLine = /Plan: .*/.exec(plan.runs[0].stdout)?.[0] ?? '(no summary line)';
  log('## 2. Terraform: 1,000 equivalent `terraform_data` resources (same fields in `input`), 10% changed');
  log();
  log(
    `terraform init: ${secs(init.wallS)}; first apply (1,000 creates, 1 run): ${secs(apply.wallS)}, ${mb(apply.rssKb / 1024)} peak`,
  );
  log(
    `terraform plan -input=false (after changing 10% of inputs): ${secs(plan.wallS)} wall, ${secs(plan.cpuS)} CPU, ${mb(plan.rssMb)} peak  (${spread(plan)})`,
  );
  log(`terraform plan summary: ${summaryLine}`);
  log();
  return { apply, plan, summaryLine, rerun };
}

/**
 * The 1,000-resource plans again, `terraform plan` and Ploy's on each store in turn, round
 * after round (each round in a different order): what the ratios are computed from. Medians
 * of runs taken minutes apart compare a quiet spell with a busy one on a shared machine.
 */
function ratioRounds(terraform: () => Run, ploys: Map<StoreName, () => Run>): Map<string, Figure> {
  const entries: Array<[string, () => Run]> = [['terraform', terraform], ...ploys];
  const runs = new Map<string, Run[]>(entries.map(([k]) => [k, []]));
  for (let round = 0; round < RATIO_ROUNDS; round++) {
    for (let i = 0; i < entries.length; i++) {
      const [name, run] = entries[(i + round) % entries.length];
      runs.get(name)?.push(run());
    }
  }
  const figures = new Map<string, Figure>();
  for (const [name, rs] of runs)
    figures.set(
      name,
      medianOf(rs.length, (i) => rs[i]),
    );
  log(`## Ratios: the 1,000-resource plans in turn, ${RATIO_ROUNDS} rounds`);
  log();
  log(
    table(
      ['plan', 'wall (median)', 'CPU (median)', 'runs (s)'],
      [...figures].map(([name, f]) => [
        name === 'terraform' ? 'terraform plan' : `ploy plan (${name})`,
        secs(f.wallS),
        secs(f.cpuS),
        f.runs.map((r) => r.wallS.toFixed(2)).join(' '),
      ]),
    ),
  );
  log();
  return figures;
}

// ---------------------------------------------------------------- 3. Flux format

interface FluxRow {
  n: number;
  store: StoreName;
  fresh: Figure;
  pre: Figure;
  noop: Figure;
}

async function fluxScenarios(work: string, stores: StoreName[], pg: PgServer | undefined): Promise<FluxRow[]> {
  log("## 3. First apply and no-op plan, in the format of Flux's published benchmark");
  log();
  log("Monitor, Job and Notification only, in equal parts: an App's first apply needs Docker (without it apps stay pending).");
  log('first apply (incl. store creation): a store that does not exist yet — embedded: no .ploy/ dir, so PGlite runs initdb;');
  log('  PostgreSQL: a new empty database, so the apply runs the migrations. first apply (store pre-created): the store was');
  log('  opened (created + migrated) once before timing — embedded: a copy of a .ploy/ dir that was opened once and closed,');
  log('  byte-for-byte what opening it in place leaves, without paying initdb per run. no-op plan: `ploy plan` right after the');
  log('  pre-created apply (0 changes, checked with --detailed-exitcode).');
  log(`Each figure: median of ${RUNS} runs, each first apply on its own new store.`);
  log();
  const rows: FluxRow[] = [];
  for (const n of FLUX_SIZES) {
    const repo = path.join(work, `flux-${n}`);
    writePloyRepo(repo, n, NO_APPS, 0);
    for (const store of stores) {
      let dir = '';
      const fresh = async (i: number, pre: boolean) => {
        dir = path.join(work, `flux-${n}-${store}-${pre ? 'pre' : 'fresh'}-${i}`);
        const url = await storeUrl(store, pg);
        const config = writeConfig(dir, repo, url);
        if (pre && store === 'embedded') fs.cpSync(await embeddedTemplate(work), path.join(dir, '.ploy'), { recursive: true });
        else if (pre) await precreate(url, path.join(dir, '.ploy'));
        return config;
      };
      const applyFig = async (pre: boolean): Promise<Figure> => {
        const runs: Run[] = [];
        for (let i = 0; i < RUNS; i++) {
          const config = await fresh(i, pre);
          const r = ploy(['apply', '--config', config, '--auto-approve'], dir);
          if (!r.stdout.includes(`Apply succeeded: ${n} succeeded`))
            throw new Error(`apply did not succeed:\n${r.stdout.slice(-500)}`);
          runs.push(r);
        }
        return medianOf(RUNS, (i) => runs[i]);
      };
      const freshFig = await applyFig(false);
      const preFig = await applyFig(true);
      const config = path.join(dir, 'ploy.config.yaml');
      const noop = medianOf(RUNS, () => ploy(['plan', '--config', config, '--format', 'json', '--detailed-exitcode'], dir));
      rows.push({ n, store, fresh: freshFig, pre: preFig, noop });
      log(
        `  ${String(n).padStart(4)} ${store.padEnd(10)} first apply ${secs(freshFig.wallS)} incl. store creation / ${secs(preFig.wallS)} pre-created; no-op plan ${secs(noop.wallS)} (exit 0: no changes)  [${elapsed()}]`,
      );
    }
  }
  log();
  const body = rows.map((r) => [
    String(r.n),
    'Monitor+Job+Notification',
    `ploy (${r.store})`,
    fluxDuration(r.fresh.wallS),
    fluxDuration(r.pre.wallS),
    fluxDuration(r.noop.wallS),
    `${fluxMemory(r.fresh.rssMb)} / ${fluxMemory(r.pre.rssMb)} / ${fluxMemory(r.noop.rssMb)}`,
    `${FLUX[r.n].duration} / ${FLUX[r.n].memory}`,
  ]);
  log(
    table(
      [
        'Objects',
        'Type',
        'Component',
        'First apply (incl. store creation)',
        'First apply (store pre-created)',
        'No-op plan',
        'Max Memory (apply incl. creation / apply pre-created / plan)',
        'Flux v2.6 Kustomization: Duration / Max Memory',
      ],
      body,
    ),
  );
  log();
  log(
    'Flux figures: github.com/fluxcd/flux-benchmark RESULTS.md, Flux v2.6.0, kustomize-controller (2 CPU, concurrency 20) on a',
  );
  log(
    '16-core runner, 1,000 objects in 4m16s — a Kubernetes apply, not a like-for-like workload: set side by side for scale only.',
  );
  log();
  return rows;
}

let template: string | undefined;
/** An embedded store opened once (initdb + migrations) and closed; copied per pre-created run. */
async function embeddedTemplate(work: string): Promise<string> {
  if (!template) {
    template = path.join(work, 'embedded-template', '.ploy');
    await precreate('embedded', template);
  }
  return template;
}

// ---------------------------------------------------------------- profiles and verdicts

function printProfile(
  store: string,
  p: ProfileSummary,
  ph?: { totalMs: number; phases: Array<{ phase: string; ms: number; rssMb: number }> },
): void {
  log(`### 10,000-resource plan, ${store}: where the time goes`);
  log();
  if (ph) {
    log(
      `Phases, one after the other in a fresh process (test/bench/plan-bench/phases.ts; nothing overlaps, total ${(ph.totalMs / 1000).toFixed(2)} s + node start-up):`,
    );
    log();
    log(
      table(
        ['phase', 'ms', 'RSS after'],
        ph.phases.map((x) => [x.phase, x.ms.toFixed(0), mb(x.rssMb)]),
      ),
    );
    log();
  }
  log(
    `CPU profile of one \`node --cpu-prof bin/ploy.js plan --format json\` (${(p.totalMs / 1000).toFixed(2)} s of samples, idle excluded). Top self time:`,
  );
  log();
  log(
    table(
      ['self ms', '%', 'function', 'where'],
      p.functions.map((f) => [f.ms.toFixed(0), ((100 * f.ms) / p.totalMs).toFixed(1), f.name, f.where]),
    ),
  );
  log();
  log('By area:');
  log();
  log(
    table(
      ['self ms', '%', 'area'],
      p.areas.map((a) => [a.ms.toFixed(0), ((100 * a.ms) / p.totalMs).toFixed(1), a.area]),
    ),
  );
  log();
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-plan-bench-'));
  const tf = findTerraform();
  let pg: PgServer | undefined;
  let pgError: string | undefined;
  try {
    pg = await startPg();
  } catch (e) {
    pgError = (e as Error).message.split('\n')[0];
  }
  const stores: StoreName[] = pg ? ['embedded', 'postgresql'] : ['embedded'];
  try {
    header(tf, pg, pgError);
    const { results, profiles, phases } = await planScenarios(work, stores, pg);
    const terraform = tf ? terraformScenario(tf, work) : undefined;
    const ploys = new Map(stores.map((s) => [s, (results.get(`1000/${s}`) as PlanResult).rerun] as const));
    const rounds = terraform ? ratioRounds(terraform.rerun, ploys) : undefined;
    await fluxScenarios(work, stores, pg);

    log('## Targets (issue 2)');
    log();
    const targetRows: string[][] = [];
    const p1k = (s: StoreName) => rounds?.get(s);
    if (rounds) {
      const t = (rounds.get('terraform') as Figure).wallS;
      for (const [store, limit, label] of [
        ['postgresql', 1 / 5, 'under 1/5'],
        ['embedded', 1 / 3, 'under 1/3'],
      ] as const) {
        const f = p1k(store);
        if (!f) {
          targetRows.push([`1,000: Ploy plan ${label} of terraform plan (${store})`, 'not measured (no PostgreSQL)', '—']);
          continue;
        }
        const ratio = f.wallS / t;
        targetRows.push([
          `1,000: Ploy plan ${label} of terraform plan (${store})`,
          `${secs(f.wallS)} / ${secs(t)} = ${ratio.toFixed(3)} (1/${(1 / ratio).toFixed(1)}), medians of ${RATIO_ROUNDS} in turn`,
          verdict(ratio < limit),
        ]);
      }
    } else {
      targetRows.push(['1,000: Ploy / terraform plan ratios', 'terraform not installed', '—']);
    }
    const pg10k = results.get('10000/postgresql')?.fig;
    if (pg10k) {
      targetRows.push(['10,000 on PostgreSQL: under 2 s', secs(pg10k.wallS), verdict(pg10k.wallS < 2)]);
      targetRows.push(['10,000 on PostgreSQL: under 300 MB peak', mb(pg10k.rssMb), verdict(pg10k.rssMb < 300)]);
    } else {
      targetRows.push(['10,000 on PostgreSQL', 'not measured (no PostgreSQL)', '—']);
    }
    const emb10k = results.get('10000/embedded')?.fig;
    if (emb10k)
      targetRows.push(['(no target) 10,000 on the embedded store', `${secs(emb10k.wallS)}, ${mb(emb10k.rssMb)} peak`, '—']);
    log(table(['target', 'measured (median)', 'verdict'], targetRows));
    log();

    log('## Where the time goes');
    log();
    for (const [store, p] of profiles) printProfile(store, p, phases.get(store));
    log(
      `total benchmark time: ${elapsed()}; load average at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1/5/15 min; this benchmark itself keeps ~1-2 CPUs busy)`,
    );
  } finally {
    await pg?.stop().catch((e) => log(`stopping PostgreSQL failed: ${(e as Error).message}`));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
