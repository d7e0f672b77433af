import type { Document, Node } from 'yaml';
import type { SourcePos } from '../model/source-pos.js';
import { type FieldPath, PositionIndex, type Positions } from './positions.js';
import { yamlLib } from './yaml-lib.js';
import { YAML_OPTIONS } from './yaml-options.js';

/** The source of one file, shared by the lazy position indexes of its documents. */
export class FileSource {
  #parsed: { docs: Document.Parsed[]; posAt: (offset: number) => SourcePos; text: string } | undefined;
  readonly #indexes = new Map<number, PositionIndex>();

  /** `text` is called at most once, on the first lookup: a valid file never needs it. */
  constructor(
    readonly file: string,
    private readonly text: () => string,
  ) {}

  /**
   * The position index of document `index`. The file is parsed a second time for it, with the
   * options parseFile used, so every node lands where the first parse saw it. Only documents
   * that parsed cleanly get here (the others never became a ParsedDocument), so the second
   * parse meets nothing hostile the first did not already refuse. One parse per file serves all
   * its documents; each document is indexed only when asked about.
   */
  index(index: number): PositionIndex {
    const hit = this.#indexes.get(index);
    if (hit) return hit;
    const { docs, posAt, text } = (this.#parsed ??= this.#parse());
    const built = new PositionIndex(this.file, docs[index].contents as Node, posAt, text);
    this.#indexes.set(index, built);
    return built;
  }

  #parse() {
    const text = this.text();
    const { LineCounter, parseAllDocuments } = yamlLib();
    const lc = new LineCounter();
    const docs = parseAllDocuments(text, YAML_OPTIONS(lc));
    const posAt = (offset: number): SourcePos => {
      const { line, col } = lc.linePos(offset);
      return { file: this.file, line, column: col };
    };
    return { docs: Array.isArray(docs) ? docs : [], posAt, text };
  }
}

/**
 * Where the fields of one document are, worked out only when something asks (a diagnostic).
 * Indexing every node of every document costs more than a fifth of parsing a large repo,
 * and a valid repo asks for none of it: the document's own position is all a plan shows.
 */
export class LazyPositions implements Positions {
  constructor(
    private readonly source: FileSource,
    private readonly index: number,
    private readonly rootPos: SourcePos,
  ) {}

  root(): SourcePos {
    return this.rootPos;
  }

  of(path: FieldPath): SourcePos {
    return path.length === 0 ? this.rootPos : this.source.index(this.index).of(path);
  }

  within(path: FieldPath, needle: string): SourcePos {
    return this.source.index(this.index).within(path, needle);
  }
}
