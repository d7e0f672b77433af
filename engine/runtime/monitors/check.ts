import { evaluate } from '../../conditions/index.js';
import { reveal, scrubSecrets } from '../../model/sensitive.js';
import type { ConditionOutcome, Heartbeat } from '../../ports/monitor-store.js';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import { PROBES, type ProbeOutcome } from '../../probes/index.js';
import { describeError } from '../../probes/types.js';
import type { CompiledMonitor } from './compiled-monitor.js';
import type { DomainExpiryLookup } from './domain-expiry.js';

export interface CheckDeps {
  now(): Date;
  runtime?: ContainerRuntime;
  /** Aborts every attempt when the runtime stops. */
  signal: AbortSignal;
  lastPushAt?: Date;
  watchedSince: Date;
  /** RDAP, for [DOMAIN_EXPIRATION]; asked only when a condition reads it. */
  domainExpiry?: DomainExpiryLookup;
}

/**
 * One check: up to 1 + `retries` attempts, each within `timeout`, stopping at the first that
 * passes. The result keeps every condition of the last attempt, resolved (`[STATUS] (503) == 200`).
 */
export async function runCheck(m: CompiledMonitor, deps: CheckDeps): Promise<Heartbeat> {
  const at = deps.now();
  if (m.unusable) return { monitor: m.name, at, ok: false, error: `cannot check: ${m.unusable}` };
  const config = reveal(m.config) as Record<string, unknown>;
  let beat: Heartbeat | undefined;
  for (let attempt = 0; attempt <= m.retries; attempt++) {
    if (deps.signal.aborted) break;
    // One controller and one timer per attempt: AbortSignal.any/timeout cost several times more
    // at a thousand checks a second.
    const attemptCtl = new AbortController();
    const timer = setTimeout(() => attemptCtl.abort(new DOMException('timed out', 'TimeoutError')), m.timeoutMs);
    const onStop = () => attemptCtl.abort(deps.signal.reason);
    deps.signal.addEventListener('abort', onStop, { once: true });
    const signal = attemptCtl.signal;
    let outcome: ProbeOutcome;
    try {
      outcome = await PROBES[m.probe](config, {
        monitor: m.name,
        signal,
        timeoutMs: m.timeoutMs,
        needs: m.needs,
        now: deps.now,
        runtime: deps.runtime,
        lastPushAt: deps.lastPushAt,
        watchedSince: deps.watchedSince,
      });
      if (m.needs.has('DOMAIN_EXPIRATION')) outcome = await withDomainExpiry(m, outcome, deps, signal);
    } catch (err) {
      outcome = { values: {}, passed: false, fatal: true, error: describeError(err) };
    } finally {
      clearTimeout(timer);
      deps.signal.removeEventListener('abort', onStop);
    }
    beat = judge(m, outcome, at, attempt);
    if (beat.ok) break;
  }
  return scrubbed(beat ?? { monitor: m.name, at, ok: false, error: 'stopped before the check ran' }, m.secrets);
}

/** A heartbeat with no secret value of its monitor in its error or resolved conditions. */
function scrubbed(beat: Heartbeat, secrets: readonly string[]): Heartbeat {
  if (secrets.length === 0) return beat;
  return {
    ...beat,
    error: beat.error === undefined ? undefined : scrubSecrets(beat.error, secrets),
    conditions: beat.conditions?.map((c) => ({ ...c, resolved: scrubSecrets(c.resolved, secrets) })),
  };
}

/** Gatus semantics: conditions decide when there are any, the probe's own verdict otherwise. */
function judge(m: CompiledMonitor, outcome: ProbeOutcome, at: Date, attempt: number): Heartbeat {
  const conditions: ConditionOutcome[] = m.conditions.map((ast) => {
    const r = evaluate(ast, outcome.values, { resolveSuccessful: true });
    return { condition: ast.text, success: r.success, resolved: r.resolved };
  });
  const failing = conditions.filter((c) => !c.success);
  const ok = !outcome.fatal && (m.conditions.length > 0 ? failing.length === 0 : outcome.passed);
  let error: string | undefined;
  if (!ok) {
    // Failing conditions say why; when nothing was reached, the probe's error (refused, timed
    // out) says what lies behind them.
    const failed = outcome.fatal || m.conditions.length === 0 ? [] : failing.map((c) => c.resolved);
    const reached = outcome.values.connected !== false;
    const why = [...failed, ...(outcome.error && (failed.length === 0 || !reached) ? [outcome.error] : [])].join('; ');
    error = `${why || 'failed'}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`;
  }
  return {
    monitor: m.name,
    at,
    ok,
    latencyMs: outcome.values.responseTimeMs,
    status: outcome.status,
    conditions: conditions.length ? conditions : undefined,
    error,
  };
}

/** Adds the time left on the domain's registration; an unknown one reads as 0 and says why. */
async function withDomainExpiry(
  m: CompiledMonitor,
  outcome: ProbeOutcome,
  deps: CheckDeps,
  signal: AbortSignal,
): Promise<ProbeOutcome> {
  const found =
    !deps.domainExpiry || !m.domainHost
      ? { error: 'no domain to look up (an app target, or a host from a secret)' }
      : await deps.domainExpiry.expiresAt(m.domainHost, signal);
  if ('at' in found) return { ...outcome, values: { ...outcome.values, domainExpirationMs: found.at - deps.now().getTime() } };
  const error = [outcome.error, `[DOMAIN_EXPIRATION] unknown: ${found.error}`].filter(Boolean).join('; ');
  return { ...outcome, values: { ...outcome.values, domainExpirationMs: 0 }, error };
}
