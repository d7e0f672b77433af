import { resolve } from 'node:path';
import { preflight } from '../../apply/preflight.js';
import { recordAndApply } from '../../apply/record-and-apply.js';
import {
  collectingEvents,
  DEFAULT_DELIVERY_DEADLINE_MS,
  deliverBeforeExit,
  describeDeliveries,
} from '../../runtime/notifications/deliver-before-exit.js';
import { planDocument } from '../../plan/document.js';
import { renderText } from '../../render/text.js';
import { hasChanges } from '../../plan/types.js';
import { hasErrors } from '../../model/diagnostic.js';
import type { CliDeps } from '../deps.js';
import { CliError, printDiagnostics } from '../output.js';
import { readPlanFile, samePlan } from '../plan-file.js';
import { registryCredentials } from '../../config/registries.js';
import { planAgainstStore } from '../../plan/against.js';
import { sourceDir } from '../../source/desired-from-config.js';
import { type CommonFlags, configFrom, desiredFrom } from '../prepare.js';

export interface ApplyFlags extends CommonFlags {
  autoApprove?: boolean;
  planFile?: string;
}

const MARK = { succeeded: '✓', failed: '✗', skipped: '✗', pending: '…' } as const;

/**
 * `ploy apply [PLANFILE]`: exit 0 when every change succeeded, 1 when any failed or on error.
 * With a plan file, applies exactly that plan, or refuses when the source or the actual state
 * has moved since it was made.
 */
export async function applyCommand(deps: CliDeps, flags: ApplyFlags): Promise<number> {
  const saved = flags.planFile ? await readPlanFile(resolve(deps.cwd, flags.planFile)) : undefined;
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  const opening = deps.openStore(config);
  opening.catch(() => undefined);
  try {
    const desired = await desiredFrom(deps, config);
    if (hasErrors(desired.diagnostics)) {
      printDiagnostics(deps.stderr, desired.diagnostics, !!deps.stderr.isTTY);
      deps.stderr.write('Nothing was applied: the source has errors.\n');
      return 1;
    }
    const store = await opening;
    const containers = await deps.containers?.(config);
    const proxy = await deps.proxy?.(config);
    const plan = await planAgainstStore(desired, store, { ...config.sync, containers, mode: config.docker.mode, proxy });
    const doc = planDocument(plan);
    const refusals = preflight(plan, {
      expected: saved ? { revision: saved.plan.revision, actualHash: saved.plan.actualHash } : undefined,
    });
    if (saved && refusals.length === 0 && !samePlan(saved.plan, doc))
      refusals.push('the plan computed now differs from the saved one (was the config changed?); run ploy plan again');
    if (refusals.length) {
      deps.stderr.write(`Refusing to apply: ${refusals.join('; ')}.\n`);
      return 1;
    }
    deps.stdout.write(renderText(doc, !!deps.stdout.isTTY));
    if (!hasChanges(plan)) return 0;
    if (!saved && !flags.autoApprove) {
      if (!deps.interactive)
        throw new CliError(
          'Refusing to apply without confirmation: no terminal to ask on. Pass --auto-approve, or apply a saved plan file.',
        );
      if (!(await deps.confirm('Apply these changes?'))) {
        deps.stdout.write('Apply cancelled; nothing changed.\n');
        return 1;
      }
    }
    const events = collectingEvents(store, deps.clock);
    const outcome = await recordAndApply(
      { store, clock: deps.clock, events },
      {
        plan,
        document: doc,
        revision: {
          commit: desired.revision,
          source: config.file ?? config.baseDir,
          author: desired.commit?.author,
          message: desired.commit?.message,
          status: 'pending',
        },
        // Apps deploy only where Docker answered the plan's observation; else they stay pending.
        runtime: (revisionId) =>
          containers && !plan.basis.unobserved?.includes('App')
            ? {
                containers,
                desired: new Map(desired.resources.map((r) => [r.key, r])),
                revision: desired.revision,
                revisionId,
                sourceRoot: 'path' in config.source ? sourceDir(config) : undefined,
                registries: registryCredentials(config),
                mode: config.docker.mode,
                proxy,
              }
            : undefined,
        apply: {
          trigger: 'cli',
          onResult: (change, r) =>
            deps.stdout.write(
              `${MARK[r.status]} ${change.kind} ${change.name}: ${r.action} ${r.status}${r.message ? ` — ${r.message}` : ''}\n`,
            ),
        },
      },
    );
    const status = outcome.apply.status;
    const count = (s: string) => outcome.results.filter((r) => r.status === s).length;
    deps.stdout.write(
      `Apply ${status}: ${count('succeeded')} succeeded, ${count('failed') + count('skipped')} failed, ${count('pending')} pending.\n`,
    );
    // Before exiting, or nobody hears of a failed deploy run from a terminal or CI.
    const deadlineMs = deps.notificationDeadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS;
    const deliveries = await deliverBeforeExit(
      { store, clock: deps.clock, desired: desired.resources, deadlineMs },
      events.recorded,
    );
    const line = describeDeliveries(deliveries, deadlineMs);
    if (line) deps.stdout.write(`${line}\n`);
    return status === 'failed' ? 1 : 0;
  } finally {
    await opening.then(
      (s) => s.close(),
      () => undefined,
    );
  }
}
