import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.PLOY_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium dials Google's hosts at every start, and
// this machine's closed network refuses them.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `describe` for browser tests: skipped with the reason when chromium is missing locally; in
 * CI (`CI` set) it runs and fails, because CI never skips a real component.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (!existsSync(CHROMIUM) && !process.env.CI)
    describe.skip(`${name} — SKIPPED: no chromium at ${CHROMIUM} (apt-get install -y chromium)`, body);
  else describe(name, body);
}

/** A headless chromium with a fresh profile (playwright makes a new user-data-dir per launch). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium is required at ${CHROMIUM} (apt-get install -y chromium); CI installs it in .ci/run`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** Where screenshots go (gitignored); one per page, named by test. */
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Builds web/ with vite into a temp folder, so each test file serves the UI of the current
 * sources and test files never overwrite one another's build.
 */
export async function buildWeb(): Promise<string> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'ploy-web-'));
  await build({
    configFile: join(import.meta.dirname, '../../web/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
