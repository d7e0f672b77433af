/**
 * Time until the Monitors page with 1,000 monitors is interactive, measured in Debian's
 * chromium against a real `ploy serve` (in-process) serving the built UI. Each round opens the
 * page in a fresh browser context (cold cache) and reads, inside the page:
 *   - rows: ms from navigation start until the first monitor rows are in the DOM;
 *   - interactive: ms until, after that, the main thread answers the next frame and a task
 *     (nothing long queued), which is when a click or key press is handled at once;
 *   - figures: ms until all three uptime windows of every monitor are shown (they load after
 *     the list, one request per window for all monitors);
 *   - filter: ms from typing into the filter to the list showing the result.
 * It also reports the GraphQL requests per load (a constant five: the list, three uptime
 * windows, the header's sync badge) and the monitor rows in the DOM (the list is virtualised).
 * Target: interactive < 1,500 ms. The store is the embedded PGlite by default; `postgres` as
 * third argument starts a temporary PostgreSQL (initdb) and runs the engine on it.
 * Run: npm run bench:web  (= npm run build && node dist/test/bench/web-bench.js [monitors] [rounds] [embedded|postgres])
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import { sqlReadModel } from '../../engine/adapters/store/read/index.js';
import { SqlStore } from '../../engine/adapters/store/sql-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { findWebRoot } from '../../engine/api/static-files.js';
import { loadConfig } from '../../engine/config/load-config.js';
import { startEngine } from '../../engine/root/engine.js';
import { localDriver } from '../../engine/source/local-driver.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { seedMonitors } from '../api/seed.js';
import { launchChromium } from '../support/chromium.js';
import { startTempPostgres, type TempPostgres } from '../support/postgres-server.js';

const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 7);
const storeKind = process.argv[4] === 'postgres' ? 'postgres' : 'embedded';
const TARGET_MS = 1500;

const names = Array.from({ length: count }, (_, i) => `m-${String(i).padStart(4, '0')}`);
const monitorFile = (chunk: string[]) =>
  chunk
    .map(
      (n, i) =>
        `kind: Monitor\nname: ${n}\nlabels: {team: t${i % 7}}\ntcp: {host: 127.0.0.1, port: ${1000 + i}}\ninterval: 60s\n`,
    )
    .join('---\n');

const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: p(0.5), p90: p(0.9), max: p(1) };
};

async function main(): Promise<void> {
  const webRoot = findWebRoot();
  if (!webRoot) throw new Error('web/dist is missing: run npm run build first (npm run bench:web does)');
  const dir = await mkdtemp(join(tmpdir(), 'ploy-web-bench-'));
  await mkdir(join(dir, 'repo'));
  await writeFile(join(dir, 'ploy.config.yaml'), 'source: {path: ./repo}\nstore: {url: embedded}\n');
  for (let f = 0; f * 50 < count; f++)
    await writeFile(join(dir, 'repo', `monitors-${f}.yaml`), monitorFile(names.slice(f * 50, f * 50 + 50)));
  const validators = compileKindValidators();
  const { config } = loadConfig({ cwd: dir, env: {}, validator: validators.config });
  config!.api.listen = '127.0.0.1:0';
  console.log(`setting up: ${count} monitors, 30 days of rollups each (${storeKind} store)…`);
  let pg: TempPostgres | undefined;
  if (storeKind === 'postgres') pg = await startTempPostgres();
  const db = await openDriver(pg ? pg.url : 'embedded', { embeddedDir: join(dir, '.ploy') });
  const store = new SqlStore(db);
  const engine = await startEngine(config!, {
    store,
    readModel: sqlReadModel(db),
    clock: systemClock,
    log: pino({ level: 'warn' }),
    source: localDriver(config!, { env: {}, validators }),
    version: 'bench',
    webRoot,
  });
  await engine.reconciler.idle();
  await seedMonitors(db, names, new Date(), 30);
  // Some monitors down, so the page sorts failing ones first as it would in an incident.
  await db.query(`update monitor_state set state = 'down' where monitor = any($1::text[])`, [
    names.filter((_, i) => i % 40 === 0),
  ]);
  const url = `http://127.0.0.1:${(engine.server.address() as AddressInfo).port}/monitors`;

  // The page's one query, timed alone over HTTP: what the browser waits for before it can draw.
  const apiUrl = url.replace(/\/monitors$/, '/graphql');
  const timeQuery = async (query: string) => {
    const t0 = performance.now();
    const res = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return performance.now() - t0;
  };
  for (const w of ['24h', '30d', '365d'])
    console.log(
      `  API alone: ${count} monitors with uptime(${w}): ${(await timeQuery(`{ monitors(first: ${count}) { edges { node { name u: uptime(window: "${w}") { ratio latencyP95 } } } } }`)).toFixed(0)} ms`,
    );
  console.log(
    `  API alone: ${count} monitors with state and labels: ${(await timeQuery(`{ monitors(first: ${count}) { edges { node { name status labels { key value } state { state since } } } } }`)).toFixed(0)} ms`,
  );

  const browser = await launchChromium();
  const rows: number[] = [];
  const interactive: number[] = [];
  const filter: number[] = [];
  const figures: number[] = [];
  let requests = 0;
  let domRows = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      let gql = 0;
      if (process.env.BENCH_DEBUG)
        page.on('requestfinished', (r) =>
          console.log(
            '  req',
            (r.postData() ?? r.url()).slice(0, 60),
            Math.round(r.timing().responseEnd),
            'ms after',
            Math.round(r.timing().startTime - t00),
          ),
        );
      page.on('request', (r) => {
        if (r.url().endsWith('/graphql') && !(r.headers()['accept'] ?? '').includes('text/event-stream')) gql++;
      });
      const t00 = Date.now();
      // Timed inside the page (a MutationObserver from the first script), not over the
      // DevTools protocol, whose round trips would add their own delay to the figure.
      await page.addInitScript(() => {
        const w = window as any;
        const mo = new MutationObserver(() => {
          if (w.__rowsAt || !document.querySelector('.mrow[data-monitor]')) return;
          w.__rowsAt = performance.now();
          mo.disconnect();
          requestAnimationFrame(() => setTimeout(() => (w.__interactiveAt = performance.now()), 0));
        });
        mo.observe(document, { childList: true, subtree: true });
      });
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => (window as any).__interactiveAt, undefined, { timeout: 60_000 });
      const t = await page.evaluate(() => ({
        rows: (window as any).__rowsAt as number,
        interactive: (window as any).__interactiveAt as number,
      }));
      await page.waitForSelector('[data-loaded="list day month year"]', { timeout: 60_000 });
      const figuresMs = await page.evaluate(() => performance.now());
      const filterMs = await page.evaluate(
        async (wanted: string) => {
          const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
          const t0 = performance.now();
          input.value = wanted;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          while (document.querySelectorAll('.mrow[data-monitor]').length !== 1)
            await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - t0;
        },
        names[count - 1],
      );
      domRows = Math.max(domRows, await page.locator('.mrow[data-monitor]').count());
      if (round === 0) {
        await page.fill('input[type=search]', '');
        domRows = await page.locator('.mrow[data-monitor]').count();
      }
      requests = Math.max(requests, gql);
      // The first round warms the engine's statement caches; it is reported but not counted.
      if (round > 0 || rounds === 1) {
        rows.push(t.rows);
        interactive.push(t.interactive);
        filter.push(filterMs);
        figures.push(figuresMs);
      } else
        console.log(
          `warm-up round: rows ${t.rows.toFixed(0)} ms, interactive ${t.interactive.toFixed(0)} ms, figures ${figuresMs.toFixed(0)} ms`,
        );
      await context.close();
    }
  } finally {
    await browser.close();
    await engine.stop();
    await store.close();
    await pg?.stop();
  }
  const r = summary(rows);
  const i = summary(interactive);
  const f = summary(filter);
  const g = summary(figures);
  console.log(
    `Monitors page, ${count} monitors, ${storeKind} store, ${interactive.length} cold page loads in chromium (load average ${loadavg()[0].toFixed(1)}):`,
  );
  console.log(
    `  rows shown:  median ${r.median.toFixed(0)} ms, p90 ${r.p90.toFixed(0)} ms, max ${r.max.toFixed(0)} ms (from navigation start)`,
  );
  console.log(
    `  interactive: median ${i.median.toFixed(0)} ms, p90 ${i.p90.toFixed(0)} ms, max ${i.max.toFixed(0)} ms — target < ${TARGET_MS} ms: ${i.p90 < TARGET_MS ? 'met' : 'NOT met'}`,
  );
  console.log(`  all uptime figures shown (24 h, 30 d, 365 d): median ${g.median.toFixed(0)} ms, p90 ${g.p90.toFixed(0)} ms`);
  console.log(`  filter to one row: median ${f.median.toFixed(0)} ms`);
  console.log(`  GraphQL requests per load: ${requests}; monitor rows in the DOM: ${domRows} of ${count}`);
  console.log(`  command: npm run bench:web  (node dist/test/bench/web-bench.js ${count} ${rounds} ${storeKind})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
