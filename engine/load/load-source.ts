import type { SourcePos } from '../model/source-pos.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { type InterpolationContext, interpolate } from './interpolate.js';
import { parseCached } from './parse-cache.js';
import type { FieldPath } from './positions.js';
import type { Snapshot } from './snapshot.js';

/** A YAML document of the source, interpolated, not yet checked to be a resource. */
export interface LoadedDocument {
  file: string;
  index: number;
  value: unknown;
  pos: SourcePos;
  posOf(path: FieldPath): SourcePos;
}

/**
 * Parses and interpolates every file of a snapshot; all problems of all files come back at once.
 * Files parsed ahead (parseSnapshot, in worker threads) come from the parse cache.
 */
export function loadSnapshot(
  snapshot: Snapshot,
  ctx: InterpolationContext,
): { documents: LoadedDocument[]; diagnostics: Diagnostic[]; byReference: SourcePos[] } {
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const byReference: SourcePos[] = [];
  for (const file of snapshot.files) {
    const result = parseCached(file.path, file.bytes);
    diagnostics.push(...result.diagnostics);
    for (const doc of result.documents) {
      const posOf = (path: FieldPath) => doc.positions.of(path);
      const tokenAt = (path: FieldPath, token?: string) => (token ? doc.positions.within(path, token) : posOf(path));
      const { value, diagnostics: ds, byReference: kept } = interpolate(doc.value, ctx, tokenAt);
      diagnostics.push(...ds);
      byReference.push(...kept);
      documents.push({ file: doc.file, index: doc.index, value, pos: doc.pos, posOf });
    }
  }
  return { documents, diagnostics, byReference };
}
