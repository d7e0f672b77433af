import type { EngineConfig } from '../config/types.js';
import { referenceDigest } from '../kinds/digest.js';
import type { ResourceKey } from '../model/resource.js';
import { actualHash } from '../plan/actual.js';
import { type ActualResource, computePlan, desiredSpec } from '../plan/compute.js';
import type { Plan } from '../plan/types.js';
import { findRepo, readCommitSnapshot, resolveCommit } from '../source/git-snapshot.js';
import { warning } from '../model/diagnostic.js';
import { baseEnvPolicy } from './base-env-policy.js';
import type { CliDeps } from './deps.js';
import { CliError } from './output.js';
import { desiredFrom, sourcePath } from './prepare.js';

/** The two revisions `ploy plan --base` compares; without `head`, the working tree is the head. */
export interface BaseRefs {
  base: string;
  head?: string;
}

/**
 * `ploy plan --base REF [--head REF]`: the source at `head` (the working tree by default) versus
 * the same source at `base`, with no store and no secret or environment values: `${secret:}` and
 * `${env:}` compare and print by reference, and which variables `${env:}` may name is decided by
 * the base's ploy.config.yaml (see base-env-policy.ts). What a pull request would change, shown
 * without anything of the CI's environment. With `--head` both sides come from git's object
 * store, so CI can compare two commits without checking either out, and uncommitted edits never
 * leak in.
 */
export async function planAgainstBase(deps: CliDeps, config: EngineConfig, refs: BaseRefs): Promise<Plan> {
  const root = sourcePath(config);
  const repo = await findRepo(root);
  if (!repo) throw new CliError(`--base needs the source to be inside a git repository; ${root} is not.`);
  const commitOf = async (flag: string, ref: string) => {
    const oid = await resolveCommit(repo.root, ref);
    if (!oid) throw new CliError(`${flag} ${ref}: no such branch, tag or commit in ${repo.root}.`);
    return readCommitSnapshot(repo.root, oid, repo.subdir);
  };
  const [base, headCommit] = await Promise.all([
    commitOf('--base', refs.base),
    refs.head === undefined ? undefined : commitOf('--head', refs.head),
  ]);
  const allowed = await baseEnvPolicy(config, deps.cwd, { root: repo.root, oid: base.commit.oid, ref: refs.base });
  const envPolicy = allowed.policy;
  const [head, before] = await Promise.all([
    headCommit
      ? desiredFrom(deps, config, {
          secrets: 'reference',
          envPolicy,
          snapshot: headCommit.snapshot,
          commit: headCommit.commit,
        })
      : desiredFrom(deps, config, { secrets: 'reference', envPolicy }),
    desiredFrom(deps, config, { secrets: 'reference', envPolicy, snapshot: base.snapshot }),
  ]);
  const resources = new Map<ResourceKey, ActualResource>();
  for (const r of before.resources) {
    const spec = desiredSpec(r, referenceDigest);
    resources.set(r.key, { kind: r.kind, name: r.name, spec, protect: spec.protect === true });
  }
  // A file the head commit holds but could not be read (over 5 MB) is an error of the head, as
  // it is when the working tree is read.
  const diagnostics = [...allowed.diagnostics, ...(headCommit?.diagnostics ?? []), ...head.diagnostics];
  if (before.diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push(
      warning('config', `The base revision ${refs.base} has errors of its own; only its valid resources were compared.`, {
        file: '.',
        line: 1,
        column: 1,
      }),
    );
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
