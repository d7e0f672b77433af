/**
 * Latency to a recorded plan, for a source of 1,000 resources: from a file save (local source;
 * target under 500 ms), and from a webhook after a push (git source over a real smart-HTTP
 * server). The engine runs in-process on the embedded store; each figure ends when the store
 * records the plan.
 * Run: npm run build && node dist/test/bench/sync-latency-bench.js [resources] [rounds]
 */
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { loadConfig } from '../../engine/config/load-config.js';
import type { Store } from '../../engine/ports/store.js';
import { startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { gitDriver } from '../../engine/source/git-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { pushFiles, startGitServer } from '../support/git-http-server.js';

const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 10);

const monitorFile = (f: number, interval: string) =>
  Array.from(
    { length: 25 },
    (_, i) =>
      `kind: Monitor\nname: m-${f}-${i}\ntcp: {host: 127.0.0.1, port: ${1000 + i}}\ninterval: ${interval}\nconditions: ["[CONNECTED] == true"]\n`,
  ).join('---\n');
const jobFile = (f: number) =>
  Array.from(
    { length: 25 },
    (_, i) => `kind: Job\nname: j-${f}-${i}\nschedule: "*/5 * * * *"\nshell: {command: "echo ${i}"}\n`,
  ).join('---\n');

function recordingStore(real: Store, onPlan: () => void): Store {
  // The real store, told when a plan is recorded.
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'recordPlan') {
        return async (p: Parameters<Store['recordPlan']>[0]) => {
          const r = await target.recordPlan(p);
          onPlan();
          return r;
        };
      }
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: p(0.5), p90: p(0.9), max: p(1) };
};

async function gitLatency(): Promise<void> {
  const server = await startGitServer();
  try {
    await server.createRepo('bench');
    const files: Record<string, string> = {};
    for (let f = 0; f < count / 25; f++) files[`ops/f${f}.yaml`] = f % 2 ? jobFile(f) : monitorFile(f, '60s');
    await pushFiles(server.url('bench'), files, 'bench config');
    const dir = await mkdtemp(join(tmpdir(), 'ploy-latency-git-'));
    await writeFile(
      join(dir, 'ploy.config.yaml'),
      `source: {git: {url: "${server.url('bench')}", ref: main, dir: ops, interval: 1h}}\nwebhook: {secret: bench}\n`,
    );
    const validators = compileKindValidators();
    const { config } = loadConfig({ cwd: dir, env: {}, validator: validators.config });
    config!.api.listen = '127.0.0.1:0';
    const real = await openStore('embedded', { embeddedDir: join(dir, '.ploy') });
    let planned: (() => void) | undefined;
    const store = recordingStore(real, () => planned?.());
    const source = gitDriver(config as any, {
      env: {},
      validators,
      clock: systemClock,
      onError: (e) => console.error(e.message),
    });
    const engine = await startEngine(config!, {
      store,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      source,
      version: 'bench',
    });
    const port = (engine.server.address() as AddressInfo).port;
    const samples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await engine.reconciler.idle();
      const oid = await pushFiles(server.url('bench'), { 'ops/f0.yaml': monitorFile(0, `${61 + round}s`) }, `round ${round}`);
      const body = JSON.stringify({ ref: 'refs/heads/main', after: oid });
      const done = new Promise<void>((r) => (planned = r));
      const t0 = performance.now();
      await fetch(`http://127.0.0.1:${port}/hooks/git`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'bench').update(body).digest('hex')}`,
        },
        body,
      });
      await done;
      samples.push(performance.now() - t0);
    }
    await engine.stop();
    await real.close();
    const s = summary(samples);
    console.log(
      `git source over smart HTTP, ${count} resources, ${rounds} pushes: webhook → recorded plan: median ${s.median.toFixed(0)} ms, p90 ${s.p90.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`,
    );
  } finally {
    await server.stop();
  }
}

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
  const store = recordingStore(real, () => planned?.());
  const engine = await startEngine(config!, {
    store,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'bench',
  });
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
  const s = summary(samples);
  console.log(`command: npm run build && node dist/test/bench/sync-latency-bench.js ${count} ${rounds}`);
  console.log(
    `local source, ${count} resources, ${rounds} saves: file save → recorded plan: median ${s.median.toFixed(0)} ms, p90 ${s.p90.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (target < 500 ms: ${s.median < 500 ? 'PASS' : 'MISS'})`,
  );
  await gitLatency();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
