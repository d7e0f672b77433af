import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { freshDatabase, POSTGRES_UNAVAILABLE, postgresUrl } from './pg.js';

/** One store adapter a contract suite runs against. */
export interface StoreTarget {
  name: 'PGlite' | 'PostgreSQL';
  /** Why this target cannot run here, if it cannot. */
  unavailable?: string;
  /** A new, empty location: the url and embedded dir to give openStore. */
  fresh(): Promise<{ url: string; embeddedDir: string }>;
}

/**
 * The two store adapters, for `describe.each`: the same contract runs against embedded PGlite
 * and a real PostgreSQL. Embedded data dirs live under one temp folder, removed after the file.
 */
export function storeTargets(prefix: string): StoreTarget[] {
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
  const newDir = () => fs.mkdtempSync(path.join(tmpRoot, 'embedded-'));
  return [
    { name: 'PGlite', fresh: async () => ({ url: 'embedded', embeddedDir: newDir() }) },
    {
      name: 'PostgreSQL',
      unavailable: postgresUrl() ? undefined : POSTGRES_UNAVAILABLE,
      fresh: async () => ({ url: await freshDatabase(), embeddedDir: newDir() }),
    },
  ];
}
