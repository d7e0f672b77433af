import { hashOf } from '../../model/canonical.js';
import type { Spec } from '../../model/resource.js';
import { METADATA_FIELDS } from '../shared.js';

/**
 * Fields an app can change without new containers: scaling, routing, ordering, rollout policy,
 * hooks and pull policy. Everything else is baked into a container at create time.
 */
export const IN_PLACE = new Set([...METADATA_FIELDS, 'replicas', 'routes', 'dependsOn', 'update', 'hooks', 'pull']);

/**
 * Hash of what a container is made of (the redacted, defaulted spec without the in-place
 * fields), carried by every container as `ploy.spec-hash`. A container whose label differs
 * from the applied spec's hash was made by something else: drift. Secrets enter only as their
 * keyed digests, so the label says that a secret changed, never what it is.
 */
export function containerHash(spec: Spec): string {
  const baked = Object.fromEntries(Object.entries(spec).filter(([k]) => !IN_PLACE.has(k)));
  return hashOf(baked).slice('sha256:'.length, 'sha256:'.length + 16);
}
