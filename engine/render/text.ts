import pc from 'picocolors';
import type { Action } from '../model/change.js';
import type { PlanDocument } from '../plan/types.js';
import { nextRunsText, showDiff } from './values.js';

type Colors = Pick<typeof pc, 'green' | 'yellow' | 'red' | 'bold' | 'dim' | 'magenta'>;

const SIGN: Record<Exclude<Action, 'noop'>, string> = { create: '+', update: '~', replace: '-/+', delete: '-' };
const VERB: Record<Exclude<Action, 'noop'>, string> = {
  create: 'will be created',
  update: 'will be updated in place',
  replace: 'will be replaced',
  delete: 'will be deleted',
};

/** Terraform-like text for a terminal: `+ ~ - -/+` per resource, its field diffs, a summary line. */
export function renderText(doc: PlanDocument, color: boolean): string {
  const c: Colors = color ? pc : pc.createColors(false);
  const paint = (a: Exclude<Action, 'noop'>, s: string) =>
    a === 'create' ? c.green(s) : a === 'delete' ? c.red(s) : a === 'replace' ? c.magenta(s) : c.yellow(s);
  const out: string[] = [];
  for (const d of doc.diagnostics) {
    const tag = d.severity === 'error' ? c.red('Error:') : c.yellow('Warning:');
    out.push(`${tag} ${d.file}:${d.line}:${d.column}: ${d.message}`);
  }
  if (doc.diagnostics.length) out.push('');
  if (doc.unobserved?.length) {
    out.push(
      c.yellow(`Note: live state of ${doc.unobserved.join(', ')} was not observed; compared with the last-applied state.`),
      '',
    );
  }
  for (const ch of doc.changes) {
    const head = `${paint(ch.action, SIGN[ch.action].padStart(3))} ${c.bold(`${ch.kind} ${ch.name}`)} ${VERB[ch.action]}`;
    out.push(head + (ch.reason ? c.dim(` (${ch.reason})`) : ''));
    if (ch.strategy) out.push(`      rollout: ${ch.strategy.order} (${ch.strategy.why})`);
    if (ch.action !== 'delete') {
      for (const d of ch.diffs) {
        const { sign, text } = showDiff(d);
        const s = sign === '+' ? c.green('+') : sign === '-' ? c.red('-') : c.yellow('~');
        out.push(`      ${s} ${d.path}: ${text}`);
      }
    }
    for (const o of ch.objects ?? []) if (o.action !== 'keep') out.push(c.dim(`      ${o.type} ${o.name}: ${o.action}`));
    if (ch.nextRuns?.length) out.push(c.dim(`      next runs: ${nextRunsText(ch.nextRuns, ch.after?.timezone)}`));
    out.push('');
  }
  for (const k of doc.kept) out.push(c.dim(`    ${k.kind} ${k.name} kept: ${k.reason}`));
  if (doc.kept.length) out.push('');
  const s = doc.summary;
  const total = s.create + s.update + s.replace + s.delete;
  out.push(
    total === 0
      ? c.green('No changes. The actual state matches the source.')
      : c.bold(`Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`),
  );
  return `${out.join('\n')}\n`;
}
