import type { EngineConfig } from '../config/types.js';
import { referenceDigest } from '../kinds/digest.js';
import type { ResourceKey } from '../kinds/resource.js';
import { actualHash } from '../plan/actual.js';
import { type ActualResource, computePlan, desiredSpec } from '../plan/compute.js';
import type { Plan } from '../plan/types.js';
import { findRepo, readCommitSnapshot, resolveCommit } from '../source/git-snapshot.js';
import { warning } from '../validate/diagnostic.js';
import type { CliDeps } from './deps.js';
import { CliError } from './output.js';
import { desiredFrom, sourcePath } from './prepare.js';

/**
 * `ploy plan --base REF`: the source as it is now versus the same source at REF, with no store
 * and no secret values (secrets compare by reference). What a pull request would change.
 */
export async function planAgainstBase(deps: CliDeps, config: EngineConfig, ref: string): Promise<Plan> {
  const root = sourcePath(config);
  const repo = await findRepo(root);
  if (!repo) throw new CliError(`--base needs the source to be inside a git repository; ${root} is not.`);
  const oid = await resolveCommit(repo.root, ref);
  if (!oid) throw new CliError(`--base ${ref}: no such branch, tag or commit in ${repo.root}.`);
  const base = await readCommitSnapshot(repo.root, oid, repo.subdir);
  const [head, before] = await Promise.all([
    desiredFrom(deps, config, { secrets: 'reference' }),
    desiredFrom(deps, config, { secrets: 'reference', snapshot: base.snapshot }),
  ]);
  const resources = new Map<ResourceKey, ActualResource>();
  for (const r of before.resources) {
    const spec = desiredSpec(r, referenceDigest);
    resources.set(r.key, { kind: r.kind, name: r.name, spec, protect: spec.protect === true });
  }
  const diagnostics = [...head.diagnostics];
  if (before.diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push(warning('config', `The base revision ${ref} has errors of its own; only its valid resources were compared.`, { file: '.', line: 1, column: 1 }));
  }
  return computePlan({
    revision: head.revision,
    desired: head.resources,
    actual: { resources, hash: actualHash(resources) },
    digest: referenceDigest,
    prune: config.sync.prune,
    diagnostics,
  });
}
