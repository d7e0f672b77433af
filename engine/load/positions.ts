import type { Node } from 'yaml';
import type { SourcePos } from '../model/source-pos.js';
import { yamlLib } from './yaml-lib.js';

export type FieldPath = readonly (string | number)[];

/** Where the fields of one document are; see PositionIndex. */
export interface Positions {
  /** The document's own position (its first node). */
  root(): SourcePos;
  /** Position of the field at `path`, or of its nearest ancestor that has one. */
  of(path: FieldPath): SourcePos;
  /** Where `needle` is written inside the string at `path` (see PositionIndex.within). */
  within(path: FieldPath, needle: string): SourcePos;
}

const keyOf = (path: FieldPath) => path.join('\u0000');

/**
 * Where every field of a document is. A field's position is its key (that is where a person
 * looks for "the line of `image`"); a list item's is the item. Lookups of paths that have no
 * node of their own (inside an alias, a merged map, a default) fall back to the nearest parent.
 */
export class PositionIndex implements Positions {
  readonly #positions = new Map<string, SourcePos>();
  /** Source range of every scalar value, to find a line inside a multi-line string. */
  readonly #scalars = new Map<string, readonly [number, number]>();
  readonly #file: string;
  readonly #posAt: (offset: number) => SourcePos;
  readonly #text: string | undefined;

  /** `text` is the file's source, needed only by `within`. */
  constructor(file: string, root: Node, posAt: (offset: number) => SourcePos, text?: string) {
    this.#file = file;
    this.#posAt = posAt;
    this.#text = text;
    const { isAlias, isMap, isScalar, isSeq } = yamlLib();
    const stack: Array<[unknown, (string | number)[]]> = [[root, []]];
    this.#positions.set('', posAt(root.range?.[0] ?? 0));
    while (stack.length > 0) {
      const [node, path] = stack.pop()!;
      if (isAlias(node)) continue;
      if (isScalar(node) && node.range) this.#scalars.set(keyOf(path), [node.range[0], node.range[1]]);
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = String(pair.key.value);
          if (key === '<<') continue;
          const child = [...path, key];
          this.#positions.set(keyOf(child), posAt(pair.key.range?.[0] ?? 0));
          stack.push([pair.value, child]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const child = [...path, i];
          const range = (item as Node | null)?.range;
          if (range) this.#positions.set(keyOf(child), posAt(range[0]));
          stack.push([item, child]);
        });
      }
    }
  }

  root(): SourcePos {
    return this.#positions.get('') ?? { file: this.#file, line: 1, column: 1 };
  }

  /**
   * Where `needle` is written inside the string at `path`, when that is on a later line than
   * the field (a block scalar: the line of the script that is wrong, not `command: |`);
   * otherwise the field's own position, as `of`.
   */
  within(path: FieldPath, needle: string): SourcePos {
    const field = this.of(path);
    const range = this.#scalars.get(keyOf(path));
    if (!range || this.#text === undefined) return field;
    const i = this.#text.indexOf(needle, range[0]);
    if (i < 0 || i + needle.length > range[1]) return field;
    const found = this.#posAt(i);
    return found.line > field.line ? found : field;
  }

  /** Position of the field at `path`, or of its nearest ancestor that has one. */
  of(path: FieldPath): SourcePos {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.#positions.get(keyOf(path.slice(0, n)));
      if (hit) return hit;
    }
    return this.root();
  }
}
