import { readFile, writeFile } from 'node:fs/promises';
import { canonicalJson } from '../model/canonical.js';
import type { PlanDocument } from '../plan/types.js';
import { CliError } from './output.js';

/** A saved plan (`ploy plan --out`): bound to the revision and actual state it was computed from. */
export interface PlanFile {
  ploy: 'plan';
  formatVersion: 1;
  createdAt: string;
  plan: PlanDocument;
}

export async function writePlanFile(path: string, plan: PlanDocument, now: Date): Promise<void> {
  const file: PlanFile = { ploy: 'plan', formatVersion: 1, createdAt: now.toISOString(), plan };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

export async function readPlanFile(path: string): Promise<PlanFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`Cannot read plan file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const f = parsed as PlanFile;
  if (f?.ploy !== 'plan' || f.formatVersion !== 1 || typeof f.plan?.revision !== 'string') {
    throw new CliError(`${path} is not a plan file written by ploy plan --out.`);
  }
  return f;
}

/** Whether two plans would do the same thing (ignoring display-only text). */
export const samePlan = (a: PlanDocument, b: PlanDocument) =>
  canonicalJson(a.changes.map(({ action, kind, name, afterHash }) => [action, kind, name, afterHash ?? null])) ===
  canonicalJson(b.changes.map(({ action, kind, name, afterHash }) => [action, kind, name, afterHash ?? null]));
