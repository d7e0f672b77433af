import { type ConditionAst, type PlaceholderName, parseCondition, placeholdersOf } from '../../conditions/index.js';
import { isSensitiveDigest, sensitiveValues } from '../../model/sensitive.js';
import { parseDuration } from '../../model/units.js';
import { type ProbeKind, probeOf } from '../../probes/index.js';
import { type MaintenanceWindow, maintenanceWindows } from './maintenance.js';
import { type TargetHost, targetHost } from './target-host.js';

/** A monitor's applied spec, read once into what each check needs (conditions parsed, durations in ms). */
export interface CompiledMonitor {
  name: string;
  /** Identifies the spec: a changed spec restarts the monitor's schedule. */
  specHash: string;
  probe: ProbeKind;
  /** The probe block; may hold Sensitive values, revealed only for the request. */
  config: Record<string, unknown>;
  /** The host its checks talk to, whose concurrency limit they share; none for docker and push. */
  host?: TargetHost;
  /** The host whose domain registration [DOMAIN_EXPIRATION] reads: the dns name, else the target host. */
  domainHost?: string;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  failureThreshold: number;
  successThreshold: number;
  reminderIntervalMs?: number;
  conditions: ConditionAst[];
  /** Placeholders the conditions read (a body is downloaded only when [BODY] is among them). */
  needs: ReadonlySet<PlaceholderName>;
  dependsOn: string[];
  notify?: string[];
  maintenance: MaintenanceWindow[];
  /** Why checks cannot run (secret values not loaded); they fail with this until it is fixed. */
  unusable?: string;
  /**
   * Secret values of the probe, and the hosts of secret URLs: scrubbed from what a check
   * records, since probe errors quote what they were given (`getaddrinfo ENOTFOUND <host>`).
   */
  secrets: string[];
}

/** A secret's value, and when it is a URL, its host and hostname (what resolver errors quote). */
function secretForms(values: readonly string[]): string[] {
  return [
    ...new Set(
      values.flatMap((v) => {
        try {
          const u = new URL(v);
          return [v, u.host, u.hostname];
        } catch {
          return [v];
        }
      }),
    ),
  ].filter((s) => s.length > 0);
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const duration = (v: unknown, dflt: number): number => (typeof v === 'string' ? (parseDuration(v) ?? dflt) : dflt);
const int = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : dflt);

/** Reads a defaulted Monitor spec (validation has already accepted it). */
export function compileMonitor(name: string, spec: Record<string, unknown>, specHash: string): CompiledMonitor | undefined {
  const probe = probeOf(spec);
  if (!probe) return undefined;
  const conditions: ConditionAst[] = [];
  for (const text of list(spec.conditions)) {
    const parsed = parseCondition(text);
    if (parsed.ok) conditions.push(parsed.ast);
  }
  const needs = new Set<PlaceholderName>();
  for (const c of conditions) for (const p of placeholdersOf(c)) needs.add(p);
  return {
    name,
    specHash,
    probe: probe.kind,
    config: probe.config,
    host: targetHost(probe.kind, probe.config),
    domainHost: domainHostOf(probe.kind, probe.config),
    intervalMs: duration(spec.interval, 60_000),
    timeoutMs: duration(spec.timeout, 10_000),
    retries: int(spec.retries, 0),
    failureThreshold: Math.max(1, int(spec.failureThreshold, 3)),
    successThreshold: Math.max(1, int(spec.successThreshold, 2)),
    reminderIntervalMs: typeof spec.reminderInterval === 'string' ? parseDuration(spec.reminderInterval) : undefined,
    conditions,
    needs,
    dependsOn: list(spec.dependsOn),
    notify: Array.isArray(spec.notify) ? list(spec.notify) : undefined,
    maintenance: maintenanceWindows(spec.maintenance),
    secrets: secretForms(sensitiveValues(probe.config)),
    unusable: hasDigest(probe.config)
      ? 'its secret values are not loaded (the applied spec holds only their digests): they return with the next reconcile of the source'
      : undefined,
  };
}

function hasDigest(v: unknown): boolean {
  if (isSensitiveDigest(v)) return true;
  if (Array.isArray(v)) return v.some(hasDigest);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasDigest);
  return false;
}

/** A host that comes from a secret is never looked up: RDAP errors name the host, and history shows them. */
function domainHostOf(probe: ProbeKind, config: Record<string, unknown>): string | undefined {
  if (probe === 'dns') return typeof config.name === 'string' ? config.name : undefined;
  const host = targetHost(probe, config);
  return host && !host.key.startsWith('app:') && host.label === host.key ? host.key : undefined;
}
