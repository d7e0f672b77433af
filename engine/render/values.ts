import { localTime } from '../plan/next-runs.js';
import { isSensitiveDigest } from '../model/sensitive.js';
import type { FieldDiff } from '../model/change.js';

/** A value as people read it in a plan: compact JSON, and `(sensitive)` for any secret. */
export function showValue(v: unknown): string {
  if (isSensitiveDigest(v)) return '(sensitive)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) || (v && typeof v === 'object')) {
    return JSON.stringify(v, (_k, x) => (isSensitiveDigest(x) ? '(sensitive)' : x));
  }
  return String(v);
}

/** `before → after` for one field, never revealing a secret, and saying when a secret changed. */
export function showDiff(d: FieldDiff): { sign: '+' | '-' | '~'; text: string } {
  if (d.before === undefined) return { sign: '+', text: showValue(d.after) };
  if (d.after === undefined) return { sign: '-', text: showValue(d.before) };
  if (isSensitiveDigest(d.before) && isSensitiveDigest(d.after)) return { sign: '~', text: '(sensitive value changed)' };
  return { sign: '~', text: `${showValue(d.before)} → ${showValue(d.after)}` };
}

/** A job's next run times in its own timezone, for a plan. */
export function nextRunsText(runs: string[], timezone: unknown): string {
  const tz = typeof timezone === 'string' ? timezone : 'UTC';
  return runs.map((r) => localTime(r, tz)).join(', ');
}
