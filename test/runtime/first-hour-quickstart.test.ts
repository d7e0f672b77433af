import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDir } from '../support/cli.js';
import { freePort } from '../support/caddy.js';
import { logLines, serve, until } from '../support/serve-process.js';

/**
 * The quickstart's first minute on a machine without Docker, through a real `ploy serve`: the
 * log alone says what waits and why, once; nothing repeats a warning every few seconds.
 */

const WARN = 40;
const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<{ sync: string }>;
const children: Array<{ kill(): boolean }> = [];
afterAll(() => {
  for (const c of children) c.kill();
});

describe('the quickstart on a machine without Docker', () => {
  it('waits with its app pending and says why, and repeats no warning in its first minute', async () => {
    const port = await freePort();
    const dir = await makeDir({
      'ploy.config.yaml': `source: {path: ./src}\nstore: {url: embedded}\napi: {listen: "127.0.0.1:${port}"}\nsecrets: {dir: ./src/secrets}\n`,
    });
    await cp(join(import.meta.dirname, '../../examples/quickstart'), join(dir, 'src'), { recursive: true });
    // The quickstart's monitor watches the engine at its default port; this engine listens on another.
    const monitor = join(dir, 'src/monitors/engine.yaml');
    await writeFile(monitor, (await readFile(monitor, 'utf8')).replace('127.0.0.1:4000', `127.0.0.1:${port}`));
    const started = Date.now();
    const engine = serve(dir, { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` });
    children.push(engine);
    await until('the engine to answer', async () => (await health(port)).sync !== 'starting', 30_000);
    await new Promise((r) => setTimeout(r, Math.max(0, started + 60_000 - Date.now())));

    const lines = logLines(engine.output());
    const pending = lines.find((l) => l.msg.startsWith('App/hello: not deployed yet: Docker is not reachable'));
    expect(pending, engine.output()).toMatchObject({ level: WARN, status: 'pending' });
    expect((await health(port)).sync).not.toBe('failed');
    const warnings = lines.filter((l) => l.level >= WARN).map((l) => l.msg);
    const repeated = warnings.filter((m, i) => warnings.indexOf(m) !== i);
    expect(repeated, engine.output()).toEqual([]);
    engine.kill();
  }, 120_000);
});
