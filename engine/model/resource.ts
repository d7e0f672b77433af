import type { SourcePos } from './source-pos.js';

/** The four kinds of FORMAT.md, in the order they are planned when nothing else decides. */
export const KINDS = ['Notification', 'App', 'Job', 'Monitor'] as const;
export type Kind = (typeof KINDS)[number];

/** `Kind/name`, unique in a source: the identity of a resource across revisions. */
export type ResourceKey = `${Kind}/${string}`;

export const resourceKey = (kind: Kind, name: string): ResourceKey => `${kind}/${name}`;

export function parseKey(key: ResourceKey): { kind: Kind; name: string } {
  const i = key.indexOf('/');
  return { kind: key.slice(0, i) as Kind, name: key.slice(i + 1) };
}

/** A spec is plain JSON-like data; secret values inside it are `Sensitive` instances. */
export type Spec = Record<string, unknown>;

/**
 * One resource as loaded from the source: its spec (interpolated, not yet defaulted) and where
 * each of its fields is, so later checks can point at the exact line.
 */
export interface Resource {
  kind: Kind;
  name: string;
  key: ResourceKey;
  spec: Spec;
  /** Position of the document itself. */
  pos: SourcePos;
  /** Looks up the position of a field by its path (`['ports', 1]`); falls back to the nearest parent. */
  posOf(path: readonly (string | number)[]): SourcePos;
}
