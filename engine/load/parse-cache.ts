import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { parseFile } from './parse-file.js';

export type FileParse = ReturnType<typeof parseFile>;

// Parsing is most of the cost of a reconcile, and most files did not change since the last
// one: parse results are kept per (path, content), the least recently used dropped past the
// bound. Interpolation runs every time, since env and secrets can change without the file
// changing. Parsed values are never mutated. Bounded by maxSize at one per entry rather than by
// `max`, which allocates all its slots up front: ~5 ms of every CLI command's start-up.
const parsed = new LRUCache<string, FileParse>({ maxSize: 20_000, sizeCalculation: () => 1 });

/** The cache key of one file's content. */
export const parseKey = (path: string, bytes: Uint8Array): string =>
  `${path}\0${createHash('sha1').update(bytes).digest('base64')}`;

/** The parse of a file already parsed with this content, if it is still kept. */
export const cachedParse = (key: string): FileParse | undefined => parsed.get(key);

/** Keeps a parse result for later snapshots of the same content. */
export function keepParse(key: string, result: FileParse): void {
  parsed.set(key, result);
}

/** parseFile, answered from the cache when the file has not changed. */
export function parseCached(path: string, bytes: Uint8Array): FileParse {
  const key = parseKey(path, bytes);
  const hit = cachedParse(key);
  if (hit) return hit;
  const result = parseFile(path, bytes);
  keepParse(key, result);
  return result;
}
