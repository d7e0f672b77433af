import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Fixture, SECRETS, startFixture } from '../api/fixture.js';
import { buildWeb, describeInBrowser, launchBrowser, screenshot } from './browser.js';
import { seedWeb } from './seed-web.js';

/** Waits until `text` shows on the page (visible), or fails with what the page shows instead. */
async function see(page: Page, text: string | RegExp, timeout = 5000): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout });
  } catch {
    const body = (
      await page
        .locator('main')
        .innerText()
        .catch(() => '')
    ).slice(0, 600);
    throw new Error(`"${text}" not shown on ${page.url()}; the page shows:\n${body}`);
  }
}

describeInBrowser('the web UI in a real browser', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  /** Every page's HTML, scanned at the end for secrets. */
  const seen: string[] = [];

  const open = async (path: string, heading: string | RegExp) => {
    await page.goto(fx.url + path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10_000 });
  };
  const shot = async (name: string) => {
    seen.push(await page.content());
    await screenshot(page, name);
  };

  beforeAll(async () => {
    const [webRoot, b] = await Promise.all([buildWeb(), launchBrowser()]);
    browser = b;
    fx = await startFixture(undefined, { webRoot });
    await seedWeb(fx.db, fx.store);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('asks for the API token, refuses a wrong one, and keeps the right one for the tab', async () => {
    await page.goto(fx.url + '/');
    await see(page, 'API token missing');
    await screenshot(page, 'login');
    await page.getByLabel('API token').fill('wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await see(page, 'API token invalid');
    await page.getByLabel('API token').fill(SECRETS.API_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ploy.token'))).toBe(SECRETS.API_TOKEN);
  });

  it('shows the overview: current revision, sync, last plan and apply, counts, failing things first', async () => {
    await open('/', 'Overview');
    const commit = fx.engine.reconciler.last!.revision!;
    await see(page, commit.slice(0, 12));
    // The last pass is `applied`, or `in-sync` when the file watcher's late pass found nothing to do.
    await see(page, new RegExp(`\\b${fx.engine.reconciler.last!.outcome}\\b`));
    expect(['applied', 'in-sync']).toContain(fx.engine.reconciler.last!.outcome);
    await see(page, /Failing \(\d+\)/);
    const failing = page.locator('section.attention');
    expect(await failing.innerText()).toContain('Monitor/db');
    const counts = await page.locator('table.counts').innerText();
    expect(counts).toMatch(/Monitor\s+2/);
    expect(counts).toMatch(/Notification\s+2/);
    expect(counts).toMatch(/Job\s+1/);
    // Failing events come first in the feed.
    const firstEvent = await page.locator('ul.events li').first().innerText();
    expect(firstEvent).toMatch(/deploy\.failed|monitor\.down/);
    await shot('overview');
  });

  it('lists the monitors with uptime bars and opens one by its URL', async () => {
    await open('/monitors', 'Monitors');
    await see(page, '2 of 2 monitors, 1 failing');
    // The uptime windows load after the list, one request each for all monitors.
    await page.locator('[data-loaded="list day month year"]').waitFor();
    const rows = page.locator('.mrow[data-monitor]');
    expect(await rows.first().getAttribute('data-monitor')).toBe('db'); // failing first
    expect(await rows.nth(1).innerText()).toMatch(/99\.\d+%/);
    await shot('monitors');

    await open('/monitors/db', /^db/);
    await see(page, 'Last 30 days');
    await see(page, 'Last 365 days');
    await see(page, '[CONNECTED] (false) == true');
    await see(page, 'dial tcp 127.0.0.1:5433: connection refused');
    await see(page, 'db is down: [CONNECTED] (false) == true'); // a state change
    expect(await page.locator('svg.bars rect').count()).toBeGreaterThan(24);
    await page.locator('.chart canvas').first().waitFor();
    await shot('monitor');
  });

  it('shows jobs with the schedule in words, next runs in the job’s timezone, output and missed slots', async () => {
    await open('/jobs', 'Jobs');
    await see(page, 'At 03:30');
    await shot('jobs');
    await open('/jobs/backup', /^backup/);
    await see(page, 'Next runs (Europe/Berlin)');
    expect(await page.locator('ul.next-runs li').count()).toBe(5);
    expect(await page.locator('ul.next-runs').innerText()).toMatch(/3:30|03:30/);
    await see(page, 'error: disk full');
    await see(page, 'missed while down');
    await shot('job');
  });

  it('shows notification channels and deliveries with their errors', async () => {
    await open('/notifications', 'Notifications');
    await see(page, 'HTTP 500 from slack');
    await shot('notifications');
    await open('/notifications/chat', /^chat/);
    await see(page, 'HTTP 500 from slack');
    await see(page, 'monitor.down');
    await shot('notification');
  });

  it('shows apps with their deployments and log tails', async () => {
    await open('/apps', 'Apps');
    await see(page, 'registry.test/web:2');
    await see(page, 'health check failed');
    await shot('apps');
    await open('/apps/web', /^web/);
    await see(page, 'error: port in use');
    // This engine has no Docker runtime: the page says so instead of showing no containers.
    await see(page, 'Docker is not connected: live containers are not shown.');
    await shot('app');
  });

  it('shows history: revisions with plans as diffs, applies with per-change results', async () => {
    await open('/history', 'History');
    await shot('history');
    const latest = await page
      .locator('#revisions ~ table tbody tr th a, section[aria-labelledby=revisions] tbody a')
      .first()
      .getAttribute('href');
    expect(latest).toMatch(/^\/history\/revisions\/\d+$/);
    // The revision that changed the job's schedule: its plan shows the field's before and after.
    const d = await fx.gql('{ revisions(first: 10) { edges { node { number plan { changes { name } } } } } }');
    const rev = d.body.data.revisions.edges
      .map((e: any) => e.node)
      .find((r: any) => r.plan?.changes.some((c: any) => c.name === 'backup'));
    await open(`/history/revisions/${rev.number}`, `Revision #${rev.number}`);
    await see(page, 'Job/backup');
    await see(page, '15 2 * * *');
    await see(page, '30 3 * * *');
    await see(page, '(sensitive, changed)');
    await shot('revision');
    await page
      .getByRole('link', { name: /^Apply #\d+$/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: /^Apply #\d+/ }).waitFor();
    await see(page, 'Per-change results');
    expect(await page.locator('table').first().innerText()).toMatch(/succeeded/);
    await shot('apply');
  });

  it('navigates by links and by URL: back, forward, deep links and unknown paths', async () => {
    await open('/', 'Overview');
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Monitors' }).click();
    await page.getByRole('heading', { level: 1, name: 'Monitors' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/monitors');
    await page.getByRole('link', { name: 'db', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /^db/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/monitors/db');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Monitors' }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: /^db/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^db/ }).waitFor();
    await page.goto(fx.url + '/monitors/nope');
    await see(page, 'No monitor named “nope”');
    await page.goto(fx.url + '/no/such/page');
    await see(page, 'No page at /no/such/page');
  });

  it('moves through the app with the keyboard', async () => {
    await open('/', 'Overview');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab to the Jobs link in the navigation and follow it with Enter.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Jobs') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  });

  it('shows a live event without a reload', async () => {
    await open('/', 'Overview');
    await page.evaluate(() => ((window as any).__notReloaded = true));
    await page.locator('.live .dot.ok').waitFor({ timeout: 5000 });
    await fx.store.recordEvent({
      type: 'job.failed',
      resource: 'Job/backup',
      message: 'live: backup failed with exit 3',
      at: new Date(),
    });
    await see(page, 'live: backup failed with exit 3', 10_000);
    expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
    await shot('overview-live');
  });

  it('holds one live stream per tab (two on the overview): browsers allow six connections per host', async () => {
    const streams = new Set<string>();
    const onRequest = (r: import('playwright-core').Request) => {
      if ((r.headers()['accept'] ?? '').includes('text/event-stream')) streams.add(JSON.parse(r.postData() ?? '{}').query);
    };
    page.on('request', onRequest);
    await open('/monitors', 'Monitors');
    await page.locator('.live .dot.ok').waitFor();
    await page.waitForTimeout(300);
    expect([...streams]).toHaveLength(1);
    await open('/', 'Overview');
    await page.locator('.live .dot.ok').waitFor();
    await page.waitForTimeout(300);
    expect([...streams].some((q) => q.includes('syncStatus'))).toBe(true);
    page.off('request', onRequest);
  });

  it('follows the viewer’s dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open('/monitors/db', /^db/);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await shot('monitor-dark');
    await open('/history', 'History');
    await shot('history-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  });

  it('says when the API is unreachable', async () => {
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.goto(fx.url + '/monitors');
    await see(page, 'API unreachable');
    await screenshot(page, 'unreachable');
    await page.unroute('**/graphql');
  });

  it('puts no secret anywhere in the pages', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const html of seen)
      for (const secret of [SECRETS.HOOK_TOKEN, SECRETS.SLACK_URL, 'xoxb-s3cret']) expect(html).not.toContain(secret);
  });
});
