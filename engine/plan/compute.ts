import { redact, type Sensitive } from '../model/sensitive.js';
import { diffSpecs } from '../kinds/field-diff.js';
import { kinds } from '../kinds/registry.js';
import { type Kind, type Resource, type ResourceKey, resourceKey } from '../model/resource.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hashOf } from '../model/canonical.js';
import { orderChanges } from './order.js';
import type { Change, FieldDiff, OmitEach } from '../model/change.js';
import type { Kept, Plan } from './types.js';

/** What is there now: per resource, the redacted spec it runs with. */
export interface ActualResource {
  kind: Kind;
  name: string;
  spec: Record<string, unknown>;
  protect: boolean;
  /** Drift seen on the live object (a container stopped by hand, ...): forces a change even with equal specs. */
  drift?: string;
  /** The drift is healed by an update (a route edited by hand), not by new containers. */
  driftInPlace?: boolean;
}

export interface ActualState {
  resources: Map<ResourceKey, ActualResource>;
  /** Hash of everything above; a saved plan is valid only while it is unchanged. */
  hash: string;
  /** Kinds compared against last-applied state because the live state could not be observed. */
  unobserved?: Kind[];
}

export interface PlanInput {
  revision: string;
  desired: readonly Resource[];
  actual: ActualState;
  /** How a secret value is represented in specs: a keyed digest, or its reference (`plan --base`). */
  digest: (s: Sensitive) => string;
  prune: boolean;
  diagnostics?: Diagnostic[];
}

const asSpec = (v: unknown) => v as Record<string, unknown>;

/** The redacted, defaulted spec of a desired resource: what is compared, stored and hashed. */
export function desiredSpec(r: Resource, digest: (s: Sensitive) => string): Record<string, unknown> {
  return asSpec(redact(kinds[r.kind].withDefaults(r.spec), digest));
}

/**
 * Desired versus actual → the plan. Pure: no I/O, same input same output. Both sides are
 * defaulted by the same handler, so a spec right after its apply compares equal.
 */
export function computePlan(input: PlanInput): Plan {
  const changes: OmitEach<Change, 'order'>[] = [];
  const kept: Kept[] = [];
  const desiredKeys = new Set<string>();

  for (const r of input.desired) {
    desiredKeys.add(r.key);
    const handler = kinds[r.kind];
    const after = desiredSpec(r, input.digest);
    const actual = input.actual.resources.get(r.key);
    const base = { key: r.key, kind: r.kind, name: r.name, after, afterHash: hashOf(after), file: r.pos.file, line: r.pos.line };
    if (!actual) {
      changes.push({
        ...base,
        action: 'create',
        diffs: diffSpecs({}, after),
        objects: handler.objects?.('create', undefined, after, r.name),
      });
      continue;
    }
    const before = asSpec(handler.withDefaults(actual.spec));
    const diffs = diffSpecs(before, after);
    if (diffs.length === 0 && !actual.drift) {
      changes.push({ ...base, action: 'noop', before, diffs: [] });
      continue;
    }
    // Drift the runtime can heal in place (a route edited in the proxy) updates; other drift replaces.
    const replace = (actual.driftInPlace ? undefined : actual.drift) ?? handler.replaceReason(diffs);
    const action = replace ? 'replace' : 'update';
    changes.push({
      ...base,
      action,
      before,
      diffs,
      reason: replace ?? actual.drift ?? describeUpdate(diffs),
      strategy: handler.strategy?.(action, after),
      objects: handler.objects?.(action, before, after, r.name),
    });
  }

  for (const [key, actual] of input.actual.resources) {
    if (desiredKeys.has(key)) continue;
    const { kind, name } = actual;
    const keep = (reason: string) => kept.push({ kind, name, reason });
    if (actual.protect) keep('protected (protect: true): never deleted by prune');
    else if (input.desired.length === 0) keep('the source is empty: nothing is pruned (a guard against a broken checkout)');
    else if (!input.prune) keep('removed from the source, but sync.prune is off');
    else {
      const before = asSpec(kinds[kind].withDefaults(actual.spec));
      changes.push({
        key: resourceKey(kind, name),
        kind,
        name,
        action: 'delete',
        before,
        diffs: diffSpecs(before, {}),
        reason: 'removed from the source',
        objects: kinds[kind].objects?.('delete', before, undefined, name),
      });
    }
  }

  return {
    basis: {
      revision: input.revision,
      actualHash: input.actual.hash,
      ...(input.actual.unobserved?.length ? { unobserved: input.actual.unobserved } : {}),
    },
    changes: orderChanges(changes),
    kept: kept.sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`)),
    diagnostics: input.diagnostics ?? [],
  };
}

function describeUpdate(diffs: FieldDiff[]): string {
  const fields = [...new Set(diffs.map((d) => /^[^.[]+/.exec(d.path)?.[0] ?? d.path))];
  return `${fields.join(', ')} changed`;
}
