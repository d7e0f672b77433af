import type { FieldDiff } from '../model/change.js';
import type { PlanDocument } from '../plan/types.js';
import { nextRunsText, showDiff, showValue } from './values.js';

/**
 * The most characters `renderMarkdown` writes by default. GitHub refuses a comment over 65,536
 * characters; the difference is room for whatever a CI job wraps around the plan.
 */
export const COMMENT_BUDGET = 60_000;

/** When the plan does not fit, each value in a field diff is cut to this many characters. */
const SHORT_VALUE = 200;

export interface MarkdownOptions {
  /**
   * Most characters the output may have (default `COMMENT_BUDGET`). Counted in UTF-16 code units,
   * which is never fewer than the characters GitHub counts.
   */
  limit?: number;
}

type DocChange = PlanDocument['changes'][number];
type Detail = 'full' | 'short' | 'bare';

const ICON = {
  create: '🟢 create',
  update: '🟡 update',
  replace: '🟣 replace',
  delete: '🔴 delete',
} as const;
const TABLE_HEAD = ['| | Resource | Why |', '|---|---|---|'];
const AGAIN = 'run ploy plan locally for the full plan.';

// Escaping `<` keeps a value such as `</details>` from closing the collapsed block it sits in.
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (s: string) => html(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const diagMore = (n: number) => [`- …and ${n} more diagnostics; run ploy validate locally for all of them.`];
/** Characters `lines` take once joined with newlines, each line ending in one. */
const cost = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * Markdown for a pull-request comment: a summary table, then the details of each resource,
 * collapsed. Never longer than `opts.limit`: when the whole plan does not fit, long values are
 * shortened first, then the field tables of the largest changes are left out, then the details
 * of the remaining resources; the summary table is kept whole whenever it fits by itself, and a
 * visible note says what was left out. Cuts fall only between lines, and a line is never an
 * opened-but-unclosed tag or part of a table row, so the markdown stays well formed.
 */
export function renderMarkdown(doc: PlanDocument, opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? COMMENT_BUDGET;
  const s = doc.summary;
  const total = s.create + s.update + s.replace + s.delete;
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  const head = [
    '### Ploy plan',
    '',
    ...(errors.length ? [`**${errors.length} error(s): this revision cannot be applied.**`, ''] : []),
  ];
  const diags = doc.diagnostics.map(
    (d) => `- ${d.severity === 'error' ? '❌' : '⚠️'} \`${d.file}:${d.line}\` ${cell(d.message)}`,
  );
  const kept = doc.kept.map((k) => `- ${k.kind} \`${k.name}\`: ${cell(k.reason)}`);
  if (total === 0) {
    const tail = ['No changes. The actual state matches the source.'];
    const room = limit - cost(head) - cost(tail) - 1;
    const shown = fitRows(diags, room, diagMore);
    return assemble([head, shown.lines, shown.lines.length ? [''] : [], tail]);
  }
  const counts = [
    `**${s.create}** to create, **${s.update}** to update, **${s.replace}** to replace, **${s.delete}** to delete.`,
    '',
  ];
  const rows = doc.changes.map((c) => `| ${ICON[c.action]} | ${c.kind} \`${c.name}\` | ${cell(c.reason ?? '')} |`);
  const keptBlock = (lines: string[]) => (lines.length ? ['Kept on purpose:', ...lines, ''] : []);
  const layout = (note: string[], d: string[], table: string[], details: string[], k: string[]) => [
    head,
    d,
    d.length ? [''] : [],
    counts,
    note,
    TABLE_HEAD,
    table,
    [''],
    details,
    keptBlock(k),
  ];

  const full = doc.changes.map((c) => detailsOf(c, 'full'));
  const whole = layout([], diags, rows, full.flat(), kept);
  if (whole.reduce((n, part) => n + cost(part), 0) <= limit) return assemble(whole);

  // Over the limit. What must stay comes first: the summary table (cut only if it cannot fit by
  // itself), then the diagnostics, then what is kept on purpose; the details get what is left.
  // The table leaves room for the lines that would say how many diagnostics and kept were cut.
  const keptMore = (n: number) => [`- …and ${n} more.`];
  const reserve =
    (diags.length ? cost(diagMore(diags.length)) + 1 : 0) + (kept.length ? cost(keptBlock(keptMore(kept.length))) : 0);
  let room = limit - cost(head) - cost(counts) - noteReserve(doc.changes.length) - cost(TABLE_HEAD) - 1;
  const table = fitRows(rows, room - reserve, (n) => [
    '',
    `_…and ${n} more resources are not listed here, to stay under GitHub's comment limit; ${AGAIN}_`,
  ]);
  room -= cost(table.lines);
  const shownDiags = fitRows(diags, room - 1, diagMore);
  room -= cost(shownDiags.lines) + (shownDiags.lines.length ? 1 : 0);
  const shownKept = fitRows(kept, room - cost(['Kept on purpose:', '']), keptMore);
  room -= cost(keptBlock(shownKept.lines));
  const details = fitDetails(doc.changes, full, room);
  const note = noteFor(details.leftOut, details.shortened, table.left + shownDiags.left + shownKept.left > 0);
  return assemble(layout(note, shownDiags.lines, table.lines, details.lines, shownKept.lines));
}

/** The collapsed block of one change: in full, with long values cut, or without its field table. */
function detailsOf(c: DocChange, detail: Detail): string[] {
  const out = ['<details>', `<summary>${ICON[c.action]} ${c.kind} <code>${html(c.name)}</code></summary>`, ''];
  if (c.file) out.push(`Declared in \`${c.file}:${c.line}\`.`, '');
  if (c.action !== 'delete' && c.diffs.length) {
    if (detail === 'bare') {
      out.push(`_${c.diffs.length} field change(s) left out to stay under GitHub's comment limit._`, '');
    } else {
      out.push('| Field | Change |', '|---|---|');
      for (const d of c.diffs) {
        const { sign, text } = detail === 'short' ? shortDiff(d) : showDiff(d);
        out.push(`| ${code(d.path)} | ${sign} ${cell(text)} |`);
      }
      out.push('');
    }
  }
  const objs = (c.objects ?? []).filter((o) => o.action !== 'keep');
  if (objs.length) out.push(`Touches: ${objs.map((o) => `${o.type} \`${o.name}\` (${o.action})`).join(', ')}`, '');
  if (c.nextRuns?.length) out.push(`Next runs: ${nextRunsText(c.nextRuns, c.after?.timezone)}`, '');
  out.push('</details>', '');
  return out;
}

/** `showDiff` with each side cut to SHORT_VALUE characters; a sensitive side is `(sensitive)` already. */
function shortDiff(d: FieldDiff): ReturnType<typeof showDiff> {
  const shown = showDiff(d);
  if (shown.sign !== '~' || shown.text === '(sensitive value changed)') return { sign: shown.sign, text: clip(shown.text) };
  return { sign: '~', text: `${clip(showValue(d.before))} → ${clip(showValue(d.after))}` };
}

/** Cuts between code points (never inside a surrogate pair), marking the cut with `…`. */
function clip(text: string): string {
  if (text.length <= SHORT_VALUE) return text;
  const points = Array.from(text);
  return points.length <= SHORT_VALUE ? text : `${points.slice(0, SHORT_VALUE - 1).join('')}…`;
}

/**
 * Details that fit in `room`: full if they can; else every value shortened; else the field
 * tables of the largest changes left out; else whole blocks left out from the end of the plan.
 */
function fitDetails(
  changes: readonly DocChange[],
  full: string[][],
  room: number,
): { lines: string[]; leftOut: number; shortened: boolean } {
  const fullCost = full.reduce((n, b) => n + cost(b), 0);
  if (fullCost <= room) return { lines: full.flat(), leftOut: 0, shortened: false };
  const blocks: Array<string[] | undefined> = changes.map((c) => detailsOf(c, 'short'));
  const costs = blocks.map((b) => cost(b!));
  let used = costs.reduce((n, x) => n + x, 0);
  const leftOut = new Set<number>();
  const bySize = costs.map((_, i) => i).sort((a, b) => costs[b] - costs[a]);
  for (const i of bySize) {
    if (used <= room) break;
    const bare = detailsOf(changes[i], 'bare');
    if (cost(bare) >= costs[i]) continue; // no field table to leave out
    used -= costs[i] - cost(bare);
    blocks[i] = bare;
    costs[i] = cost(bare);
    leftOut.add(i);
  }
  for (let i = blocks.length - 1; i >= 0 && used > room; i--) {
    used -= costs[i];
    blocks[i] = undefined;
    leftOut.add(i);
  }
  return { lines: blocks.flatMap((b) => b ?? []), leftOut: leftOut.size, shortened: true };
}

/** As many of `rows` as fit in `room`, then `more(n)` saying how many were left out. */
function fitRows(rows: string[], room: number, more: (n: number) => string[]): { lines: string[]; left: number } {
  if (rows.length === 0 || cost(rows) <= room) return { lines: rows, left: 0 };
  let space = room - cost(more(rows.length)); // the widest count the line can carry
  let n = 0;
  while (n < rows.length && space - (rows[n].length + 1) >= 0) space -= rows[n++].length + 1;
  return { lines: [...rows.slice(0, n), ...more(rows.length - n)], left: rows.length - n };
}

/** The visible line saying the plan was shortened, or nothing when it is whole. */
function noteFor(leftOut: number, values: boolean, lists: boolean): string[] {
  const say = (what: string) => [`> ⚠️ ${what} to stay under GitHub's comment limit; ${AGAIN}`, ''];
  if (leftOut > 0) return say(`Details of ${leftOut} resource${leftOut === 1 ? '' : 's'} were left out`);
  if (values && lists) return say('Long values and lists were shortened');
  if (values) return say('Long values were shortened');
  return lists ? say('Some lists were shortened') : [];
}

const noteReserve = (changes: number) => Math.max(cost(noteFor(changes, true, true)), cost(noteFor(0, true, true)));

const assemble = (parts: string[][]) => `${parts.flat().join('\n')}\n`;
