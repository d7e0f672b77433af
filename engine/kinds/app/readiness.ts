import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../ports/clock.js';
import type { ContainerDetails, ContainerRuntime } from '../../ports/container-runtime.js';
import type { AppSpec } from '../spec-types.generated.js';
import { parseDuration } from '../../model/units.js';

export type Readiness = { ok: true } | { ok: false; reason: string };

interface HealthSpec {
  http?: { path?: string; port: number; scheme?: 'http' | 'https' };
  cmd?: unknown;
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
}

const POLL_MS = 250;
/** Slack on top of what the health check itself allows, for the daemon's own scheduling. */
const SLACK_MS = 5_000;

/**
 * Waits until a new container is fit to take over: healthy by its check, or (without one)
 * still running after `update.monitor`. Fails fast when it exits, restarts, reports unhealthy,
 * or the deadline its check allows (start period + retries × (interval + timeout)) passes.
 */
export async function waitReady(
  runtime: ContainerRuntime,
  id: string,
  spec: AppSpec,
  opts: { clock: Clock; signal?: AbortSignal; sleep?: (ms: number) => Promise<void> },
): Promise<Readiness> {
  const { clock } = opts;
  const sleep = opts.sleep ?? ((ms: number) => clock.sleep(ms));
  const nowMs = () => clock.now().getTime();
  const hc = spec.healthcheck as HealthSpec | undefined;
  const monitorMs = parseDuration(String(spec.update?.monitor ?? '10s')) ?? 10_000;
  const started = nowMs();
  const deadline = hc
    ? started +
      (parseDuration(hc.startPeriod) ?? 0) +
      hc.retries * ((parseDuration(hc.interval) ?? 10_000) + (parseDuration(hc.timeout) ?? 5_000)) +
      SLACK_MS
    : started + monitorMs;
  const first = await runtime.inspect(id);
  // Like Docker: unhealthy after failing for `retries` intervals in a row once the start
  // period is over. Probed more often than each interval, so a ready container is seen at once.
  let failingSince: number | undefined;

  for (;;) {
    if (opts.signal?.aborted)
      return { ok: false, reason: 'stopped waiting: the engine is shutting down or a newer revision arrived' };
    const c = await runtime.inspect(id);
    const dead = notRunning(c, first.restartCount);
    if (dead) return { ok: false, reason: dead };
    if (hc?.cmd) {
      if (c.health === 'healthy') return { ok: true };
      if (c.health === 'unhealthy') return { ok: false, reason: `health check failed: ${lastHealthOutput(c)}` };
    } else if (hc?.http) {
      const probe = await probeHttp(c, hc);
      if (probe === true) return { ok: true };
      const now = nowMs();
      if (now - started >= (parseDuration(hc.startPeriod) ?? 0)) failingSince ??= now;
      const patience = hc.retries * (parseDuration(hc.interval) ?? 10_000);
      if ((failingSince !== undefined && now - failingSince >= patience) || now > deadline) {
        return { ok: false, reason: `health check failed: ${probe}` };
      }
    } else if (nowMs() - started >= monitorMs) {
      return { ok: true };
    }
    if (hc && nowMs() > deadline) return { ok: false, reason: `not healthy after ${Math.round((nowMs() - started) / 1000)} s` };
    await sleep(POLL_MS);
  }
}

function notRunning(c: ContainerDetails, restartsBefore: number): string | undefined {
  if (c.state === 'exited' || c.state === 'dead') {
    return `the container exited with code ${c.exitCode}${c.oomKilled ? ' (out of memory)' : ''}${c.error ? `: ${c.error}` : ''}`;
  }
  if (c.state === 'restarting' || c.restartCount > restartsBefore)
    return `the container is crash-looping (restarted ${c.restartCount} times)`;
  return undefined;
}

const lastHealthOutput = (c: ContainerDetails) => {
  const last = c.healthLog.at(-1);
  return last ? `exit ${last.exitCode}${last.output.trim() ? `: ${last.output.trim().slice(0, 200)}` : ''}` : 'unhealthy';
};

/** One GET from the host to the container's address; true when the status is below 400. */
function probeHttp(c: ContainerDetails, hc: HealthSpec): Promise<true | string> {
  const ip = c.networks.find((n) => n.ip)?.ip;
  const target = hc.http!;
  if (!ip) return Promise.resolve('the container has no address yet');
  const timeout = parseDuration(hc.timeout) ?? 5_000;
  const url = `${target.scheme ?? 'http'}://${ip}:${target.port}${target.path ?? '/'}`;
  return new Promise((resolve) => {
    const lib = target.scheme === 'https' ? https : http;
    // A self-signed certificate inside the container is normal; the check is about liveness.
    const req = lib.get(url, { timeout, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status < 400 ? true : `GET ${target.path ?? '/'} answered ${status}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.on('error', (e) => resolve(`GET ${target.path ?? '/'} on port ${target.port}: ${e.message}`));
  });
}
