import { type CheckLine, type ClockReading, ok, warn } from './check.js';

/** Past this, schedules, leases and "since" times visibly disagree between machines. */
export const MAX_SKEW_MS = 5_000;

const FIX =
  'Synchronise the clocks with NTP (timedatectl set-ntp true, chrony or systemd-timesyncd) on this machine and on the store and Docker hosts: job schedules, leader leases and timestamps depend on them.';

/** This machine's clock against the other clocks the checks read (the store's, Docker's). */
export function clockLine(readings: readonly ClockReading[]): CheckLine {
  if (readings.length === 0)
    return warn('clock', 'not compared: neither the store nor Docker told its time', 'Fix the store and Docker checks above.');
  const skews = readings.map((r) => ({ whose: r.whose, ms: r.theirs.getTime() - r.ours.getTime() }));
  const off = skews.filter((s) => Math.abs(s.ms) > MAX_SKEW_MS);
  const secs = (ms: number) => `${(Math.abs(ms) / 1000).toFixed(1)} s`;
  if (off.length) {
    const text = off.map((s) => `${s.ms > 0 ? 'behind' : 'ahead of'} ${s.whose}'s by ${secs(s.ms)}`).join(', ');
    return warn('clock', `this machine's clock is ${text}`, FIX);
  }
  const worst = Math.max(...skews.map((s) => Math.abs(s.ms)));
  return ok('clock', `agrees with ${readings.map((r) => r.whose).join(' and ')} (within ${secs(Math.max(worst, 100))})`);
}
