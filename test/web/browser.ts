import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { CHROMIUM, launchChromium } from '../support/chromium.js';

/**
 * `describe` for browser tests: skipped with the reason when chromium is missing locally; in
 * CI (`CI` set) it runs and fails, because CI never skips a real component.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (!existsSync(CHROMIUM) && !process.env.CI) {
    const reason = `no chromium at ${CHROMIUM} (apt-get install -y chromium)`;
    console.warn(`\n!!! browser tests "${name}" are SKIPPED: ${reason}\n`);
    describe.skip(`${name} — SKIPPED: ${reason}`, body);
  } else describe(name, body);
}

export const launchBrowser = launchChromium;

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
