import { createHash } from 'node:crypto';
import type { Diagnostic, SourcePos } from '../validate/diagnostic.js';
import { type InterpolationContext, interpolate } from './interpolate.js';
import { parseFile } from './parse-file.js';
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

// Parsing is most of the cost of a reconcile, and most files did not change since the last
// one: parse results are kept per (path, content), bounded. Interpolation runs every time,
// since env and secrets can change without the file changing. Parsed values are never mutated.
const PARSE_CACHE_LIMIT = 20_000;
const parsed = new Map<string, ReturnType<typeof parseFile>>();

function parseCached(path: string, bytes: Uint8Array): ReturnType<typeof parseFile> {
  const key = `${path}\0${createHash('sha1').update(bytes).digest('base64')}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const result = parseFile(path, bytes);
  if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
  parsed.set(key, result);
  return result;
}

/** Parses and interpolates every file of a snapshot; all problems of all files come back at once. */
export function loadSnapshot(
  snapshot: Snapshot,
  ctx: InterpolationContext,
): { documents: LoadedDocument[]; diagnostics: Diagnostic[] } {
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of snapshot.files) {
    const result = parseCached(file.path, file.bytes);
    diagnostics.push(...result.diagnostics);
    for (const doc of result.documents) {
      const posOf = (path: FieldPath) => doc.positions.of(path);
      const tokenAt = (path: FieldPath, token?: string) => (token ? doc.positions.within(path, token) : posOf(path));
      const { value, diagnostics: ds } = interpolate(doc.value, ctx, tokenAt);
      diagnostics.push(...ds);
      documents.push({ file: doc.file, index: doc.index, value, pos: doc.pos, posOf });
    }
  }
  return { documents, diagnostics };
}
