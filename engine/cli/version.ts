import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in the nearest package.json above this module: the repo's under vitest and in
 * dist/, the installed package's after `npm install -g`, so `ploy --version` cannot drift from
 * what npm installed. Read once per process (a few small reads while the CLI loads).
 */
export function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/** This package's version (package.json): what `ploy --version`, /healthz and `ploy doctor` report. */
export const VERSION = packageVersion();
