/**
 * What a concurrency limit costs per task, hand-written against p-limit, where the engine has
 * one on a hot path: the monitor scheduler's per-host slots (1,000 checks a second in
 * bench:monitors; 100 hosts, limit 256, so nearly every check finds a slot free) and the job
 * pools (64 process runs, 1,000 HTTP requests). Each round runs 100,000 tasks that finish at
 * once, `inFlight` of them started together; medians of 9 rounds, in ns per task. The job
 * pools moved to p-limit (engine/runtime/scheduler/worker-pool.ts); the hand-written pool they
 * had is kept here as the figure to compare with. The per-host slots stayed hand-written.
 * Run: npm run build && node dist/test/bench/limiter-bench.js
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { HostSlots } from '../../engine/runtime/monitors/host-slots.js';

const TASKS = 100_000;
const ROUNDS = 9;
const task = async (): Promise<void> => undefined;

/** Per-host slots on p-limit: one limit per host, forgotten when idle (as HostSlots does). */
function pLimitSlots(limit: number) {
  const hosts = new Map<string, LimitFunction>();
  return (host: string, check: () => Promise<void>): Promise<void> => {
    let l = hosts.get(host);
    if (!l) hosts.set(host, (l = pLimit(limit)));
    const lim = l;
    return lim(check).finally(() => {
      if (lim.activeCount === 0 && lim.pendingCount === 0) hosts.delete(host);
    });
  };
}

function handSlots(limit: number) {
  const slots = new HostSlots(limit);
  return (host: string, check: () => Promise<void>): Promise<void> =>
    new Promise<void>((resolve) => {
      slots.request(host, () => {
        void check().finally(() => {
          slots.release(host);
          resolve();
        });
      });
    });
}

/** The job pool as it was before p-limit. */
function handPool(size: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < size) start();
      else queue.push(start);
    });
}

async function rounds(inFlight: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const ns: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let done = 0; done < TASKS; done += inFlight) {
      const batch: Array<Promise<unknown>> = [];
      for (let i = 0; i < inFlight; i++) batch.push(run(done + i));
      await Promise.all(batch);
    }
    ns.push(((performance.now() - start) * 1e6) / TASKS);
  }
  return ns.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const hosts = Array.from({ length: 100 }, (_, i) => `host-${i}.example`);
const cases: Array<[string, number, () => (i: number) => Promise<unknown>]> = [
  [
    'host slots, limit 256, 100 hosts: HostSlots',
    1000,
    () =>
      (
        (s) => (i: number) =>
          s(hosts[i % 100], task)
      )(handSlots(256)),
  ],
  [
    'host slots, limit 256, 100 hosts: p-limit  ',
    1000,
    () =>
      (
        (s) => (i: number) =>
          s(hosts[i % 100], task)
      )(pLimitSlots(256)),
  ],
  [
    'host slots, limit 4, one host:    HostSlots',
    1000,
    () =>
      (
        (s) => () =>
          s('one', task)
      )(handSlots(4)),
  ],
  [
    'host slots, limit 4, one host:    p-limit  ',
    1000,
    () =>
      (
        (s) => () =>
          s('one', task)
      )(pLimitSlots(4)),
  ],
  [
    'job pool, size 64:                hand-written',
    1000,
    () =>
      (
        (p) => () =>
          p(task)
      )(handPool(64)),
  ],
  [
    'job pool, size 64:                p-limit     ',
    1000,
    () =>
      (
        (l) => () =>
          l(task)
      )(pLimit(64)),
  ],
];

for (const [, inFlight, make] of cases) await rounds(inFlight, make()); // warm up
for (const [name, inFlight, make] of cases) console.log(`${name}  ${(await rounds(inFlight, make())).toFixed(0)} ns/task`);
