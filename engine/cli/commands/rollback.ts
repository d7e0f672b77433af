import { recordAndApply } from '../../apply/record-and-apply.js';
import { registryCredentials } from '../../config/registries.js';
import { app as appKind } from '../../kinds/app/index.js';
import { rolloutOrder } from '../../kinds/app/strategy.js';
import { hmacDigest } from '../../kinds/digest.js';
import { diffSpecs } from '../../kinds/field-diff.js';
import type { Resource, Spec } from '../../model/resource.js';
import { isSensitive, isSensitiveDigest, type Sensitive } from '../../model/sensitive.js';
import type { Change } from '../../model/change.js';
import type { Plan } from '../../plan/types.js';
import { planDocument } from '../../plan/document.js';
import { renderText } from '../../render/text.js';
import { recordedEvents } from '../../runtime/recorded-events.js';
import { sourceDir } from '../../source/desired-from-config.js';
import type { CliDeps } from '../deps.js';
import { CliError } from '../output.js';
import { type CommonFlags, desiredFrom } from '../prepare.js';
import { connect } from './app-containers.js';

export interface RollbackFlags extends CommonFlags {
  autoApprove?: boolean;
}

/**
 * `ploy rollback APP`: returns the app to its previous successful deployment (an earlier spec
 * than the one applied now), health-gated like any rollout. Git still declares the newer spec,
 * so the next sync would deploy it again: the output says to revert in git.
 */
export async function rollbackCommand(deps: CliDeps, name: string, flags: RollbackFlags): Promise<number> {
  const { config, runtime } = await connect(deps, flags);
  const store = await deps.openStore(config);
  try {
    const applied = (await store.listApplied()).find((a) => a.kind === 'App' && a.name === name);
    if (!applied) throw new CliError(`app ${name} is not deployed by Ploy`);
    const history = await store.listDeployments({ app: name, limit: 1000 });
    const target = history.find((d) => d.status === 'succeeded' && d.specHash !== applied.specHash && d.spec);
    if (!target) throw new CliError(`app ${name} has no earlier successful deployment to return to`);
    const spec = target.spec as Spec;
    if (spec.build) throw new CliError(`app ${name} is built from source: roll back by reverting the commit in git`);

    // The stored spec holds digests of its secrets; the values come from the source as it is now.
    const desired = await desiredFrom(deps, config);
    const current = desired.resources.find((r) => r.kind === 'App' && r.name === name);
    const digest = hmacDigest(await store.secretKey());
    const known = new Map<string, Sensitive>();
    collectSensitive(current ? appKind.withDefaults(current.spec) : {}, (s) => known.set(digest(s), s));
    const missing: string[] = [];
    const restored = withSecrets(spec, known, missing) as Spec;
    if (missing.length) {
      throw new CliError(
        `cannot roll back ${name}: ${missing.join(', ')} held secret values that are no longer in the secrets; revert in git instead`,
      );
    }

    const change: Change = {
      action: 'replace',
      key: `App/${name}`,
      kind: 'App',
      name,
      order: 0,
      before: applied.spec as Spec,
      after: spec,
      afterHash: target.specHash,
      diffs: diffSpecs(applied.spec, spec),
      reason: `rollback to deployment #${target.id} (revision ${target.revision.slice(0, 12)})`,
      strategy: rolloutOrder(spec),
    };
    const plan: Plan = { basis: { revision: target.revision, actualHash: '' }, changes: [change], kept: [], diagnostics: [] };
    const doc = planDocument(plan);
    deps.stdout.write(renderText(doc, !!deps.stdout.isTTY));
    if (!flags.autoApprove) {
      if (!deps.interactive)
        throw new CliError('Refusing to roll back without confirmation: no terminal to ask on. Pass --auto-approve.');
      if (!(await deps.confirm(`Roll ${name} back to deployment #${target.id}?`))) {
        deps.stdout.write('Rollback cancelled; nothing changed.\n');
        return 1;
      }
    }
    const resource: Resource = {
      kind: 'App',
      name,
      key: change.key,
      spec: restored,
      pos: current?.pos ?? { file: '', line: 1, column: 1 },
      posOf: () => current?.pos ?? { file: '', line: 1, column: 1 },
    };
    // A rollback belongs to no revision: git still declares the newer spec.
    const outcome = await recordAndApply(
      { store, clock: deps.clock, events: recordedEvents(store, deps.clock) },
      {
        plan,
        document: doc,
        revision: null,
        runtime: async (revisionId) => ({
          containers: runtime,
          desired: new Map([[change.key, resource]]),
          revision: target.revision,
          revisionId,
          sourceRoot: 'path' in config.source ? sourceDir(config) : undefined,
          registries: registryCredentials(config),
          mode: config.docker.mode,
          proxy: await deps.proxy?.(config),
        }),
        apply: { trigger: 'rollback', reason: { rollbackTo: target.id } },
      },
    );
    const [result] = outcome.results;
    if (result?.status !== 'succeeded') {
      deps.stdout.write(`✗ rollback of ${name} failed — ${result?.message ?? 'no result'}\n`);
      return 1;
    }
    deps.stdout.write(
      `✓ ${name} is back on deployment #${target.id} (revision ${target.revision.slice(0, 12)}).\n` +
        `  Git still declares the newer version and the next sync will deploy it again: revert the change in git to keep this one.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function collectSensitive(value: unknown, found: (s: Sensitive) => void): void {
  if (isSensitive(value)) found(value);
  else if (Array.isArray(value)) for (const v of value) collectSensitive(v, found);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectSensitive(v, found);
}

/** The stored spec with each `{$sensitive: digest}` replaced by the secret of that digest. */
function withSecrets(value: unknown, known: Map<string, Sensitive>, missing: string[], path = ''): unknown {
  if (isSensitiveDigest(value)) {
    const s = known.get(value.$sensitive);
    if (!s) missing.push(path);
    return s;
  }
  if (Array.isArray(value)) return value.map((v, i) => withSecrets(v, known, missing, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withSecrets(v, known, missing, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}
