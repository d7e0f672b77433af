import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import { ms, type Probe } from './types.js';

export interface PingProbeSpec {
  host: string;
}

/**
 * Probe: one ICMP echo through the system `ping` (raw sockets need privileges the engine should
 * not hold). Only an echo reply passes: an unreachable host, a missing `ping` or a timeout is down
 * whatever the conditions. [RESPONSE_TIME] is the round trip `ping` reports.
 */
export const pingProbe: Probe<PingProbeSpec> = (spec, ctx) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    // `-n` no reverse lookup; `-W` seconds to wait for the reply (at least 1).
    const wait = String(Math.max(1, Math.ceil(ctx.timeoutMs / 1000)));
    const args = ['-n', '-c', '1', '-W', wait, ...(isIP(spec.host) === 6 ? ['-6'] : []), '--', spec.host];
    execFile('ping', args, { signal: ctx.signal, timeout: ctx.timeoutMs + 1000 }, (err, stdout, stderr) => {
      const rtt = /time[=<]([\d.]+)\s*ms/.exec(stdout);
      const ip = /\(([^)]+)\)/.exec(stdout)?.[1];
      // Exit 0 and an echo line: anything else (exit 1 no reply, 2 error) is down.
      if (!err && rtt) {
        resolve({
          values: { connected: true, ip, responseTimeMs: Number(rtt[1]) },
          passed: true,
          status: `reply in ${rtt[1]} ms`,
        });
        return;
      }
      const reason =
        (err as NodeJS.ErrnoException | null)?.code === 'ENOENT'
          ? 'the system ping command is not installed'
          : ctx.signal.aborted
            ? 'timed out'
            : (stderr.trim().split('\n')[0] || /\d+ packets transmitted.*/.exec(stdout)?.[0] || 'no reply').slice(0, 200);
      resolve({
        values: { connected: false, ip, responseTimeMs: ms(started) },
        passed: false,
        fatal: true,
        status: 'unreachable',
        error: `${spec.host} is unreachable: ${reason}`,
      });
    });
  });
