/**
 * Latency from a file save to a recorded plan, for a local source of 1,000 resources (the
 * target is under 500 ms). The engine runs in-process on the embedded store; the figure is
 * measured from the write of one changed file to the moment the store records the plan.
 * Run: npm run build && node dist/test/bench/sync-latency-bench.js [resources] [rounds]
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { startEngine } from '../../engine/runtime/serve.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';

const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 10);

const monitorFile = (f: number, interval: string) =>
  Array.from({ length: 25 }, (_, i) => `kind: Monitor\nname: m-${f}-${i}\ntcp: {host: 127.0.0.1, port: ${1000 + i}}\ninterval: ${interval}\nconditions: ["[CONNECTED] == true"]\n`).join('---\n');
const jobFile = (f: number) =>
  Array.from({ length: 25 }, (_, i) => `kind: Job\nname: j-${f}-${i}\nschedule: "*/5 * * * *"\nshell: {command: "echo ${i}"}\n`).join('---\n');

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'ploy-latency-'));
  await mkdir(join(dir, 'repo'));
  const files = count / 25;
  for (let f = 0; f < files; f++) await writeFile(join(dir, 'repo', `f${f}.yaml`), f % 2 ? jobFile(f) : monitorFile(f, '60s'));
  await writeFile(join(dir, 'ploy.config.yaml'), 'source: {path: ./repo}\n');
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd: dir, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  const real = await openStore('embedded', { embeddedDir: join(dir, '.ploy') });
  let planned: (() => void) | undefined;
  // The real store, told when a plan is recorded.
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === 'recordPlan') {
        return async (p: Parameters<Store['recordPlan']>[0]) => {
          const r = await target.recordPlan(p);
          planned?.();
          return r;
        };
      }
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const engine = await startEngine(config!, { store, clock: systemClock, log: pino({ level: 'silent' }), source: localDriver(config!, { env: {}, validators }), version: 'bench' });
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await engine.reconciler.idle();
    await new Promise((r) => setTimeout(r, 200));
    const done = new Promise<void>((r) => (planned = r));
    const t0 = performance.now();
    await writeFile(join(dir, 'repo', 'f0.yaml'), monitorFile(0, `${61 + round}s`));
    await done;
    samples.push(performance.now() - t0);
  }
  await engine.stop();
  await real.close();
  samples.sort((a, b) => a - b);
  const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(0);
  console.log(`command: node dist/test/bench/sync-latency-bench.js ${count} ${rounds}`);
  console.log(`local source, ${count} resources, ${rounds} saves: file save → recorded plan: median ${p(0.5)} ms, p90 ${p(0.9)} ms, max ${p(1)} ms (target < 500 ms: ${Number(p(0.5)) < 500 ? 'PASS' : 'MISS'})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
