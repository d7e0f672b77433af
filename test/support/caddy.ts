import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';

/** A free TCP port on loopback (closed again before it is returned). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** GET through a proxy listening on loopback `port`, with the route's Host header (no keep-alive). */
export function getThroughProxy(port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Why Caddy tests cannot run here, or undefined when Debian's `caddy` binary is installed. */
export function caddyUnavailableReason(): string | undefined {
  const probe = spawnSync('caddy', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'the caddy binary is not installed (apt-get install caddy; .ci/run does)';
}

/** For `beforeEach`: skips without Caddy locally, fails in CI (CI never skips). */
export function requireCaddy(ctx: TestContext): void {
  const reason = caddyUnavailableReason();
  if (!reason) return;
  if (process.env.CI) throw new Error(`CI requires Caddy: ${reason}`);
  ctx.skip(reason);
}

export interface RunningCaddy {
  admin: string;
  stop(): Promise<void>;
}

/**
 * Starts a real Caddy on loopback with only its admin API configured (a temp HOME, so its
 * data and autosaved config go nowhere shared), and waits until the API answers.
 */
export async function startCaddy(): Promise<RunningCaddy> {
  const home = mkdtempSync(join(tmpdir(), 'ploy-caddy-'));
  const port = await freePort();
  const config = join(home, 'caddy.json');
  writeFileSync(config, JSON.stringify({ admin: { listen: `127.0.0.1:${port}` } }));
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') };
  const child: ChildProcess = spawn('caddy', ['run', '--config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log = (log + String(d)).slice(-4000)));
  const admin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${admin}/config/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`caddy did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    admin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
