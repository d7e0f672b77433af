import { knownSecrets } from '../config/known-secrets.js';
import type { EngineConfig } from '../config/types.js';
import { SecretScrubber } from '../load/secret-scrubber.js';
import type { PlanDocument } from '../plan/types.js';
import type { CliDeps } from './deps.js';

/**
 * What a command masks its output with: the CLI's scrubber (fed by configFrom and desiredFrom),
 * or, where none was given, one of the secrets the config and environment make known.
 */
export function outputScrubber(deps: CliDeps, config: EngineConfig): SecretScrubber {
  return deps.scrubber ?? new SecretScrubber(knownSecrets(config, deps.env));
}

/**
 * A plan as it may be printed or saved: every known secret value masked wherever it sits — a
 * value written literally into a resource shows as `(sensitive)`, as a `${secret:}` does. The
 * revision and hashes stay exact: `ploy apply PLANFILE` checks them against a fresh plan.
 */
export function maskPlanDocument(doc: PlanDocument, scrubber: SecretScrubber): PlanDocument {
  if (scrubber.size === 0) return doc;
  const masked = scrubber.scrubDeep(doc);
  return {
    ...masked,
    revision: doc.revision,
    actualHash: doc.actualHash,
    changes: masked.changes.map((c, i) => {
      const afterHash = doc.changes[i].afterHash;
      return afterHash === undefined || c.action === 'delete' ? c : { ...c, afterHash };
    }),
  };
}
