import { type LabelFilter, PLOY_LABELS } from '../../ports/container-runtime.js';

/** The filter every listing uses: `ploy.managed=true` plus the caller's labels. */
export const managed = (labels: LabelFilter = {}): LabelFilter => ({
  ...labels,
  [PLOY_LABELS.managed]: 'true',
});

/** Docker's `label` filter values: `key=value`, or `key` for presence. */
export const labelArgs = (f: LabelFilter): string[] => Object.entries(f).map(([k, v]) => (v === true ? k : `${k}=${v}`));

/** Checks the filter again on our side: Ploy must never act on an object the daemon let through by mistake. */
export const matches = (labels: Record<string, string> | null | undefined, f: LabelFilter): boolean =>
  Object.entries(f).every(([k, v]) => labels?.[k] !== undefined && (v === true || labels[k] === v));
