import { resolve } from 'node:path';
import { hasChanges } from '../../plan/types.js';
import type { Plan } from '../../plan/types.js';
import { planDocument } from '../../plan/document.js';
import { renderMarkdown } from '../../render/markdown.js';
import { renderText } from '../../render/text.js';
import { hasErrors } from '../../model/diagnostic.js';
import type { EngineConfig } from '../../config/types.js';
import type { CliDeps } from '../deps.js';
import { maskPlanDocument, outputScrubber } from '../mask-output.js';
import { CliError, printDiagnostics } from '../output.js';
import { writePlanFile } from '../plan-file.js';
import { planAgainstStored, readStored } from '../../plan/against.js';
import { withNextRuns } from '../../plan/next-runs.js';
import { type CommonFlags, configFrom, desiredFrom } from '../prepare.js';

export interface PlanFlags extends CommonFlags {
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  base?: string;
  /** With `base`: read the head side from this git ref too, instead of the working tree. */
  head?: string;
  out?: string;
}

/** `ploy plan`: exit 0, or 1 on error; with --detailed-exitcode 0 no changes, 2 changes, 1 error. */
export async function planCommand(deps: CliDeps, flags: PlanFlags): Promise<number> {
  // Checked before anything is read: without a base, --head would be ignored and the working
  // tree planned against the store, which is not what was asked for.
  if (flags.head !== undefined && !flags.base) {
    throw new CliError('--head needs --base: ploy plan --base REF --head REF compares two git revisions.');
  }
  // In a pull request's checkout ploy.config.yaml is the author's too: --base reads nothing of
  // the environment through it either.
  const { config, diagnostics } = configFrom(deps, flags, flags.base ? 'reference' : 'resolve');
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  let plan: Plan;
  // The store closes while the plan is rendered and written: a person waits for the output,
  // not for PGlite's shutdown checkpoint. A close that fails still fails the command.
  let closed: Promise<void> = Promise.resolve();
  if (flags.base) {
    // isomorphic-git loads only when a base is compared.
    const { planAgainstBase } = await import('../plan-base.js');
    plan = await planAgainstBase(deps, config, { base: flags.base, head: flags.head });
  } else {
    ({ plan, closed } = await planFromStore(deps, config));
  }
  try {
    return await report(deps, flags, plan, config);
  } finally {
    await closed;
  }
}

/**
 * The source against the store's applied state. The store opens (on its own thread, for PGlite)
 * and is read while the source is read and validated, and its close starts as soon as it has
 * been read; the Docker and proxy adapters load meanwhile too (nothing connects until the plan
 * observes the apps). `closed` settles when the store has closed.
 */
async function planFromStore(deps: CliDeps, config: EngineConfig): Promise<{ plan: Plan; closed: Promise<void> }> {
  const opening = deps.openStore(config);
  const reading = opening.then(readStored);
  const adapters = Promise.all([deps.containers?.(config), deps.proxy?.(config)]);
  // Each is awaited below; until then a rejection must not end the process as unhandled.
  for (const p of [opening, reading, adapters]) p.catch(() => undefined);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= opening.then(
      (s) => s.close(),
      () => undefined,
    ));
  try {
    const desired = await desiredFrom(deps, config);
    if (hasErrors(desired.diagnostics)) {
      const plan = {
        basis: { revision: desired.revision, actualHash: '' },
        changes: [],
        kept: [],
        diagnostics: desired.diagnostics,
      };
      return { plan, closed: close() };
    }
    const stored = await reading;
    close().catch(() => undefined); // awaited, and so reported, by the caller
    const [containers, proxy] = await adapters;
    const plan = await planAgainstStored(desired, stored, { ...config.sync, containers, mode: config.docker.mode, proxy });
    return { plan, closed: close() };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Prints the plan in the asked format (and saves it with --out); the exit code. Every form is
 * made from one masked document, so no format and no saved file shows a known secret's value.
 */
async function report(deps: CliDeps, flags: PlanFlags, plan: Plan, config: EngineConfig): Promise<number> {
  const doc = maskPlanDocument(planDocument(withNextRuns(plan, deps.clock.now())), outputScrubber(deps, config));
  const failed = hasErrors(plan.diagnostics);
  if (flags.format === 'json') deps.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else if (flags.format === 'markdown') deps.stdout.write(renderMarkdown(doc));
  else if (failed) printDiagnostics(deps.stderr, doc.diagnostics, !!deps.stderr.isTTY);
  else deps.stdout.write(renderText(doc, !!deps.stdout.isTTY));
  if (failed) return 1;
  if (flags.out) {
    await writePlanFile(resolve(deps.cwd, flags.out), doc, deps.clock.now());
    if (flags.format === 'text')
      deps.stdout.write(`Saved the plan to ${flags.out}; apply exactly it with: ploy apply ${flags.out}\n`);
  }
  if (flags.detailedExitcode) return hasChanges(plan) ? 2 : 0;
  return 0;
}
