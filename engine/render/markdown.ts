import type { PlanDocument } from '../plan/types.js';
import { showDiff } from './values.js';

const ICON = { create: '🟢 create', update: '🟡 update', replace: '🟣 replace', delete: '🔴 delete' } as const;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Markdown for a pull-request comment: a summary table, then the details of each resource. */
export function renderMarkdown(doc: PlanDocument): string {
  const s = doc.summary;
  const total = s.create + s.update + s.replace + s.delete;
  const out: string[] = ['### Ploy plan', ''];
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) out.push(`**${errors.length} error(s): this revision cannot be applied.**`, '');
  for (const d of doc.diagnostics) out.push(`- ${d.severity === 'error' ? '❌' : '⚠️'} \`${d.file}:${d.line}\` ${cell(d.message)}`);
  if (doc.diagnostics.length) out.push('');
  if (total === 0) {
    out.push('No changes. The actual state matches the source.');
    return `${out.join('\n')}\n`;
  }
  out.push(`**${s.create}** to create, **${s.update}** to update, **${s.replace}** to replace, **${s.delete}** to delete.`, '');
  out.push('| | Resource | Why |', '|---|---|---|');
  for (const c of doc.changes) out.push(`| ${ICON[c.action]} | ${c.kind} \`${c.name}\` | ${cell(c.reason ?? '')} |`);
  out.push('');
  for (const c of doc.changes) {
    out.push('<details>', `<summary>${ICON[c.action]} ${c.kind} <code>${c.name}</code></summary>`, '');
    if (c.file) out.push(`Declared in \`${c.file}:${c.line}\`.`, '');
    if (c.action !== 'delete' && c.diffs.length) {
      out.push('| Field | Change |', '|---|---|');
      for (const d of c.diffs) {
        const { sign, text } = showDiff(d);
        out.push(`| ${code(d.path)} | ${sign} ${cell(text)} |`);
      }
      out.push('');
    }
    const objs = (c.objects ?? []).filter((o) => o.action !== 'keep');
    if (objs.length) out.push(`Touches: ${objs.map((o) => `${o.type} \`${o.name}\` (${o.action})`).join(', ')}`, '');
    out.push('</details>', '');
  }
  if (doc.kept.length) {
    out.push('Kept on purpose:', ...doc.kept.map((k) => `- ${k.kind} \`${k.name}\`: ${k.reason}`), '');
  }
  return `${out.join('\n')}\n`;
}
