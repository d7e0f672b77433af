import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openStore } from '../../engine/adapters/store/open-store.js';
import type { CliDeps } from '../../engine/cli/deps.js';
import { runCli } from '../../engine/cli/run.js';
import { realDeps } from '../../engine/main.js';

/** Writes files (path → text) into a new temp directory and returns it. */
export async function makeDir(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ploy-test-'));
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

let template: Promise<string> | undefined;

/**
 * A migrated, empty embedded store, made once per test worker and copied per test: creating a
 * PGlite data dir runs initdb (seconds); copying one takes milliseconds.
 */
export async function seedEmbeddedStore(ployDir: string): Promise<void> {
  template ??= (async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ploy-store-template-')), '.ploy');
    const store = await openStore('embedded', { embeddedDir: dir });
    await store.close();
    return dir;
  })();
  await cp(await template, ployDir, { recursive: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process with the real adapters, capturing its output. */
export async function ploy(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; interactive?: boolean; answer?: string; tty?: boolean; docker?: boolean },
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const real = realDeps();
  const deps: CliDeps = {
    ...real,
    // Docker only for the tests about apps on Docker: the others must not depend on a daemon.
    containers: opts.docker ? real.containers : undefined,
    proxy: opts.docker ? real.proxy : undefined,
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, ...opts.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    interactive: opts.interactive ?? false,
    confirm: async (q) => {
      stdout += `${q}\n`;
      return opts.answer === 'yes';
    },
  };
  const code = await runCli(args, deps);
  return { code, stdout, stderr };
}
