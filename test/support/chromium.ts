import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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

/** A headless chromium with a fresh profile (playwright makes a new user-data-dir per launch). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium is required at ${CHROMIUM} (apt-get install -y chromium); CI installs it in .ci/run`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
