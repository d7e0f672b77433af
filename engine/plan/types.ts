/**
 * The plan is data only: nothing here does I/O, and nothing imports apply/ or render/. One JSON
 * form of it (`PlanDocument`) is what the store keeps, GraphQL returns, `--format json` prints
 * and golden tests compare.
 */
import type { Kind } from '../model/resource.js';
import type { Change, LiveChange, OmitEach } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';

/** A resource the plan leaves alone on purpose, and why (protected, prune off, empty source). */
export interface Kept {
  kind: Kind;
  name: string;
  reason: string;
}

/** What the plan was computed from; `ploy apply PLANFILE` refuses when either has moved. */
export interface PlanBasis {
  /** The source revision (commit SHA or content hash). */
  revision: string;
  /** Hash of the actual state. */
  actualHash: string;
  /** Present when the plan compared against last-applied state because live state was not observed. */
  unobserved?: Kind[];
}

export interface Plan {
  basis: PlanBasis;
  changes: Change[];
  kept: Kept[];
  diagnostics: Diagnostic[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

/** The versioned JSON form (FORMAT.md): no-ops left out. */
export interface PlanDocument {
  formatVersion: 1;
  revision: string;
  actualHash: string;
  unobserved?: Kind[];
  summary: PlanSummary;
  changes: Array<OmitEach<LiveChange, 'key'>>;
  kept: Kept[];
  diagnostics: Array<Pick<Diagnostic, 'severity' | 'code' | 'message' | 'file' | 'line' | 'column'>>;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) if (c.action !== 'noop') s[c.action]++;
  return s;
}

export const hasChanges = (plan: Plan) => plan.changes.some((c) => c.action !== 'noop');
