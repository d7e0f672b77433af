/**
 * Hostile requests against a real `ploy serve` (the published CLI, embedded store, one monitor
 * checking a loopback server every second, default api settings, no token):
 *
 * 1. the time to refuse each kind of hostile request, one at a time (20 of each): a 0.6 MB query
 *    of 20,000 aliases, an 11 MB query, 3,000 aliases in 77 KB (under the body limit, over the
 *    token limit), a query nested 200 deep, and a request for `Host: attacker.example`;
 * 2. a flood of them, 50 a second for 30 s in turn, while /healthz is asked every 100 ms: the
 *    engine's own event-loop delay over the flood (p50/p99/max of prom-client's
 *    monitorEventLoopDelay histogram, `ploy_process_nodejs_eventloop_lag_*` in /metrics, which
 *    samples every 10 ms and is reset at each scrape: scraped right before and right after),
 *    /healthz latency as a client sees it, and the monitor's checks in the window.
 *
 * Target: event-loop delay p99 under 50 ms during the flood.
 * Run: npm run bench:hostile [seconds] [perSecond]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/caddy.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';
import { rawRequest } from '../support/served-api.js';

const seconds = Number(process.argv[2] ?? 30);
const perSecond = Number(process.argv[3] ?? 50);
const BIN = join(import.meta.dirname, '../../../bin/ploy.js');

const json = (query: string) => Buffer.from(JSON.stringify({ query }));
const HOSTILE: Array<{ name: string; path?: string; body?: Buffer; host?: string }> = [
  {
    name: '20,000 aliases (0.6 MB)',
    body: json(`{${Array.from({ length: 20_000 }, (_, i) => `a${i}: engine{__typename}`).join(' ')}}`),
  },
  { name: '11 MB query', body: json(`{${'engine{__typename} '.repeat(580_000)}}`) },
  {
    name: '3,000 aliases in 77 KB (tokens)',
    body: json(`{${Array.from({ length: 3000 }, (_, i) => `a${i}: engine{__typename}`).join(' ')}}`),
  },
  { name: 'nested 200 deep', body: json(`{${'engine{'.repeat(200)}__typename${'}'.repeat(200)}}`) },
  { name: 'Host: attacker.example', body: json('{ engine { version } }'), host: 'attacker.example' },
];

const pct = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const f = (ms: number) => `${ms.toFixed(1)} ms`;

async function main() {
  const target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const port = await freePort();
  const cwd = await makeDir({
    'ploy.config.yaml': 'source: {path: ./repo}\nlog: {level: warn}\n',
    'repo/monitor.yaml': `kind: Monitor\nname: beat\nhttp: {url: "http://127.0.0.1:${(target.address() as AddressInfo).port}/"}\ninterval: 1s\n`,
  });
  await seedEmbeddedStore(join(cwd, '.ploy'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    cwd,
    env: { PATH: process.env.PATH, PLOY_API_LISTEN: `127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const gql = async (query: string) =>
      (await (
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        })
      ).json()) as any;
    const beats = async (since: Date) =>
      (
        await gql(
          `{ monitor(name: "beat") { heartbeats(first: 1000, range: {since: "${since.toISOString()}"}) { edges { node { at } } } } }`,
        )
      ).data.monitor.heartbeats.edges.length as number;
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error('ploy serve did not start');
      const ok = await beats(new Date(0)).catch(() => 0);
      if (ok >= 2) break;
      await sleep(100);
    }
    const send = (h: (typeof HOSTILE)[number]) =>
      rawRequest(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(h.host ? { host: h.host } : {}) },
        body: h.body,
      });

    console.log(`ploy serve (embedded store, a 1 s monitor), ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`);
    console.log('\nTime to refuse, one request at a time (20 each): median / p95 / max, and the answer');
    for (const h of HOSTILE) {
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < 20; i++) {
        const r = await send(h);
        times.push(r.ms);
        status = r.status;
      }
      console.log(
        `  ${h.name.padEnd(34)} ${f(pct(times, 0.5))} / ${f(pct(times, 0.95))} / ${f(Math.max(...times))}  (HTTP ${status})`,
      );
    }

    // The scrape resets prom-client's event-loop histogram: what the second one reports is the flood.
    await (await fetch(`${url}/metrics`)).text();
    const windowStart = new Date();
    const health: number[] = [];
    const refusals: number[] = [];
    let flooding = true;
    const poller = (async () => {
      while (flooding) {
        const started = performance.now();
        await (await fetch(`${url}/healthz`)).text();
        health.push(performance.now() - started);
        await sleep(100);
      }
    })();
    const inFlight = new Set<Promise<void>>();
    const total = seconds * perSecond;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const p = send(HOSTILE[i % HOSTILE.length]).then((r) => void refusals.push(r.ms));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    const floodSeconds = (performance.now() - t0) / 1000;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    flooding = false;
    await poller;
    const windowEnd = new Date();
    await sleep(2000);
    const checks = (
      await gql(
        `{ monitor(name: "beat") { heartbeats(first: 1000, range: {since: "${windowStart.toISOString()}", until: "${windowEnd.toISOString()}"}) { edges { node { at } } } } }`,
      )
    ).data.monitor.heartbeats.edges.length;
    const lag = (q: string) =>
      Number(new RegExp(`^ploy_process_nodejs_eventloop_lag_${q}_seconds (\\S+)`, 'm').exec(metrics)?.[1]) * 1000;

    console.log(
      `\nFlood: ${total} hostile requests in ${floodSeconds.toFixed(1)} s (${(total / floodSeconds).toFixed(1)}/s, the five kinds in turn)`,
    );
    console.log(
      `  engine event-loop delay (prom-client, 10 ms sampling, includes the 10 ms interval): p50 ${f(lag('p50'))}, p99 ${f(lag('p99'))}, max ${f(lag('max'))}`,
    );
    console.log(
      `  refusals as the client saw them: median ${f(pct(refusals, 0.5))}, p99 ${f(pct(refusals, 0.99))}, max ${f(Math.max(...refusals))}`,
    );
    console.log(
      `  /healthz (${health.length} requests): median ${f(pct(health, 0.5))}, p99 ${f(pct(health, 0.99))}, max ${f(Math.max(...health))}`,
    );
    const expected = (windowEnd.getTime() - windowStart.getTime()) / 1000;
    console.log(`  monitor checks in the window: ${checks} in ${expected.toFixed(1)} s (one a second is due)`);
    console.log(`\nTarget: event-loop delay p99 under 50 ms — ${lag('p99') < 50 ? 'met' : 'NOT met'}`);
    console.log(`Command: npm run bench:hostile ${seconds} ${perSecond}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    target.close();
  }
}

await main();
