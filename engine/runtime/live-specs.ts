import { hmacDigest } from '../kinds/digest.js';
import { kinds } from '../kinds/registry.js';
import type { Kind, Resource, Spec } from '../model/resource.js';
import { hashOf } from '../model/canonical.js';
import { desiredSpec } from '../plan/compute.js';
import type { Store } from '../ports/store.js';

/** A resource as it runs: the applied spec, with secret values where they are known. */
export interface LiveSpec {
  kind: Kind;
  name: string;
  /** Defaulted spec. Secrets are `Sensitive` values when known, else `{ $sensitive: digest }`. */
  spec: Spec;
  specHash: string;
}

/**
 * What runs, for the runtimes that need secret values (a webhook URL, an Authorization header).
 * The store keeps applied specs with secrets as digests only; the source snapshot last loaded
 * holds the values. A desired resource lends its values when its redacted spec hashes to the
 * applied one, so the runtime never uses a spec that was not applied.
 */
export async function liveSpecs(
  store: Pick<Store, 'listApplied' | 'secretKey'>,
  desired: readonly Resource[] | undefined,
  ofKinds: readonly Kind[],
): Promise<LiveSpec[]> {
  const [applied, key] = await Promise.all([store.listApplied(), desired?.length ? store.secretKey() : undefined]);
  const digest = key ? hmacDigest(key) : undefined;
  const byKey = new Map((desired ?? []).map((r) => [r.key as string, r]));
  const out: LiveSpec[] = [];
  for (const a of applied) {
    if (!ofKinds.includes(a.kind)) continue;
    const d = byKey.get(`${a.kind}/${a.name}`);
    const matches = d && digest && hashOf(desiredSpec(d, digest)) === a.specHash;
    out.push({
      kind: a.kind,
      name: a.name,
      spec: matches ? kinds[a.kind].withDefaults(d.spec) : (a.spec as Spec),
      specHash: a.specHash,
    });
  }
  return out;
}
