import { parseDuration } from '../model/units.js';
import type { Probe } from './types.js';

export interface PushProbeSpec {
  grace: string;
}

/**
 * Probe: a dead-man's switch. Nothing is contacted; it passes while the last push (GET/POST
 * /push/<monitor>?token=) is within `grace`. Before any push, the grace counts from when the
 * monitor started being watched, so a job that never reports goes down too.
 */
export const pushProbe: Probe<PushProbeSpec> = async (spec, ctx) => {
  const grace = parseDuration(spec.grace) ?? 0;
  const now = ctx.now().getTime();
  const last = ctx.lastPushAt?.getTime();
  const since = last ?? ctx.watchedSince.getTime();
  const passed = now - since <= grace;
  const ago = Math.round((now - since) / 1000);
  return {
    values: { connected: last !== undefined },
    passed,
    status: last === undefined ? 'no push yet' : `last push ${ago}s ago`,
    error: passed ? undefined : last === undefined ? `no push within ${spec.grace}` : `no push for ${ago}s (grace ${spec.grace})`,
  };
};
