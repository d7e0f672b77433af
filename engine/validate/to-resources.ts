import type { ValidateFunction } from 'ajv';
import type { LoadedDocument } from '../load/load-source.js';
import { isSensitive } from '../model/sensitive.js';
import { KINDS, type Kind, type Resource, resourceKey, type Spec } from '../model/resource.js';
import { ajvDiagnostics } from './ajv-diagnostics.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { didYouMean } from './suggest.js';

export type KindValidators = Record<Kind, ValidateFunction>;

/**
 * Secrets are checked by their shape as written: the schema sees the template, never the value.
 * A document without secrets (nearly all) is checked as it is; ajv does not modify it.
 */
const forSchema = (v: unknown): unknown => (hasSensitive(v) ? withTemplates(v) : v);

function hasSensitive(v: unknown): boolean {
  if (isSensitive(v)) return true;
  if (Array.isArray(v)) return v.some(hasSensitive);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasSensitive);
  return false;
}

function withTemplates(v: unknown): unknown {
  if (isSensitive(v)) return v.template;
  if (Array.isArray(v)) return v.map(withTemplates);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withTemplates(x)]));
  }
  return v;
}

/**
 * Checks each document against its kind's JSON Schema and names, turning the valid ones into
 * resources. Every problem of every document is reported; a document with errors yields no
 * resource. `restated` tells which diagnostics only repeat an earlier one (see desired.ts).
 */
export function toResources(
  documents: readonly LoadedDocument[],
  validators: KindValidators,
  restated: (d: Diagnostic) => boolean = () => false,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resources: Resource[] = [];
  const byKey = new Map<string, Resource>();
  for (const doc of documents) {
    const v = doc.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      diagnostics.push(
        error('not-a-resource', 'A document must be a mapping with kind and name (App, Monitor, Job or Notification).', doc.pos),
      );
      continue;
    }
    const value = v as Record<string, unknown>;
    const kind = value.kind;
    if (kind === undefined) {
      diagnostics.push(
        error('missing-field', 'The document has no "kind": set it to App, Monitor, Job or Notification.', doc.pos),
      );
      continue;
    }
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
      diagnostics.push(
        error(
          'unknown-kind',
          `Unknown kind "${String(kind)}": use App, Monitor, Job or Notification.${didYouMean(String(kind), KINDS)}`,
          doc.posOf(['kind']),
        ),
      );
      continue;
    }
    const name = typeof value.name === 'string' ? value.name : undefined;
    const what = name ? `${kind} ${name}` : `This ${kind}`;
    const key = name ? resourceKey(kind as Kind, name) : undefined;
    const plain = forSchema(value);
    const validate = validators[kind as Kind];
    if (!validate(plain)) {
      // A string whose interpolation failed is empty; "must not be empty" there only restates
      // the missing variable. When nothing else is wrong the document still becomes a
      // resource, so references to it do not fail too (it is never applied: it has an error).
      const own = ajvDiagnostics(validate.errors ?? [], plain, doc.posOf, what, key).filter((d) => !restated(d));
      diagnostics.push(...own);
      if (own.length > 0 || name === undefined) continue;
    }
    const { kind: _k, name: _n, ...spec } = value;
    const resource: Resource = {
      kind: kind as Kind,
      name: name!,
      key: key!,
      spec: spec as Spec,
      pos: doc.pos,
      posOf: (path) => doc.posOf(path),
    };
    const prior = byKey.get(resource.key);
    if (prior) {
      // Each names the other's `name` line: the line the diagnostic itself is reported at.
      const here = doc.posOf(['name']);
      const there = prior.posOf(['name']);
      diagnostics.push(
        error(
          'duplicate-name',
          `${kind} "${name}" is declared twice: here and at ${there.file}:${there.line}. Names are unique per kind.`,
          here,
          resource.key,
        ),
        error(
          'duplicate-name',
          `${kind} "${name}" is declared twice: here and at ${here.file}:${here.line}. Names are unique per kind.`,
          there,
          resource.key,
        ),
      );
      continue;
    }
    byKey.set(resource.key, resource);
    resources.push(resource);
  }
  return { resources, diagnostics };
}
