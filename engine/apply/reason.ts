import type { Plan } from '../plan/types.js';

/** Why an apply ran, as recorded with it: what started it, the commit, the files and fields that changed. */
export interface ApplyReason {
  trigger: string;
  revision: string;
  author?: string;
  message?: string;
  /** Files added, changed or removed since the previous revision (absent when unknown, e.g. after a restart). */
  files?: string[];
  /** Per changed resource, the fields that differ. */
  changes: Array<{ kind: string; name: string; action: string; fields: string[] }>;
}

export function applyReason(
  plan: Plan,
  info: { trigger: string; author?: string; message?: string; files?: string[] },
): ApplyReason {
  return {
    trigger: info.trigger,
    revision: plan.basis.revision,
    ...(info.author ? { author: info.author } : {}),
    ...(info.message ? { message: info.message } : {}),
    ...(info.files ? { files: info.files } : {}),
    changes: plan.changes
      .filter((c) => c.action !== 'noop')
      .map((c) => ({ kind: c.kind, name: c.name, action: c.action, fields: [...new Set(c.diffs.map((d) => d.path))] })),
  };
}

/** Paths whose content differs between two file-hash maps (added, changed or removed). */
export function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((p) => before[p] !== after[p]).sort();
}
