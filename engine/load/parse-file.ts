import type { Alias, Document, Node } from 'yaml';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { flowDepthExceeds } from './flow-depth.js';
import { FileSource, LazyPositions } from './lazy-positions.js';
import type { Positions } from './positions.js';
import { parseSimpleYaml } from './simple-yaml.js';
import { yamlLib } from './yaml-lib.js';
import { YAML_OPTIONS } from './yaml-options.js';

/** One YAML document of a file, converted to plain data, with its position and (looked up on demand) every node's. */
export interface ParsedDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  value: unknown;
  pos: SourcePos;
  positions: Positions;
}

/** Deeper than this is not a config anyone writes; it is refused before it can exhaust the stack. */
export const MAX_DEPTH = 64;
/** Aliases a document may expand; a YAML bomb needs thousands. */
export const MAX_ALIAS_COUNT = 100;

const YAML_CODES: Record<string, Diagnostic['code']> = { DUPLICATE_KEY: 'yaml-duplicate-key' };

/**
 * Parses one file into documents. Never throws: binary content, syntax errors, duplicate keys,
 * alias bombs, excessive nesting and `__proto__` keys become diagnostics with their position.
 */
export function parseFile(file: string, bytes: Uint8Array): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const at1 = { file, line: 1, column: 1 };
  const text = decodeText(bytes);
  if (text === undefined) {
    return { documents: [], diagnostics: [error('file-binary', `${file} is not a UTF-8 text file; it was not read.`, at1)] };
  }
  const simple = parseSimpleFile(file, text);
  if (simple) return simple;
  const { LineCounter, parseAllDocuments, isScalar } = yamlLib();
  const lc = new LineCounter();
  const tooDeep = flowDepthExceeds(text, MAX_DEPTH);
  if (tooDeep !== undefined) {
    const line = text.slice(0, tooDeep).split('\n').length;
    const column = tooDeep - text.lastIndexOf('\n', tooDeep - 1);
    return {
      documents: [],
      diagnostics: [error('yaml-too-deep', `Nesting deeper than ${MAX_DEPTH} levels is not allowed.`, { file, line, column })],
    };
  }
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col };
  };
  const docs = parseAllDocuments(text, YAML_OPTIONS(lc));
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const source = new FileSource(file, () => text);

  list.forEach((doc, index) => {
    const errs = [...doc.errors];
    for (const e of errs) {
      const code = YAML_CODES[e.code] ?? 'yaml-syntax';
      const where = posAt(e.pos[0]);
      const msg =
        code === 'yaml-duplicate-key'
          ? `Duplicate key "${keyAt(text, e.pos[0])}" in a mapping: each key may appear once.`
          : `YAML syntax error: ${e.message.replace(/ at line \d+, column \d+.*$/s, '')}`;
      diagnostics.push(error(code, msg, where));
    }
    if (errs.length > 0 || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const check = inspectTree(doc.contents as Node, posAt);
    if (check) {
      diagnostics.push(check);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // toJS throws for an alias bomb, but also for an alias whose anchor is not in this
      // document (anchors do not cross `---`): only the first is a bomb.
      const unresolved = unresolvedAlias(doc);
      if (unresolved) {
        const msg = `Unknown alias *${unresolved.source}: define the anchor &${unresolved.source} earlier in the same document (anchors do not carry across ---).`;
        diagnostics.push(error('yaml-syntax', msg, posAt(unresolved.range?.[0] ?? doc.range[0])));
      } else if (/alias/i.test(String(e)) && !/merge/i.test(String(e))) {
        const msg = `Too many alias expansions (over ${MAX_ALIAS_COUNT}): this looks like a YAML bomb and was not read.`;
        diagnostics.push(error('yaml-alias-limit', msg, posAt(doc.range[0])));
      } else {
        diagnostics.push(error('yaml-syntax', `The document could not be read: ${(e as Error).message}`, posAt(doc.range[0])));
      }
      return;
    }
    const pos = posAt((doc.contents as Node).range?.[0] ?? 0);
    documents.push({ file, index, value, pos, positions: new LazyPositions(source, index, pos) });
  });
  return { documents, diagnostics };
}

/**
 * parseFile for the common case, without the yaml package's Document of nodes (most of the
 * cost): the values and root positions are exactly those the full parse gives, and such a file
 * has no diagnostics. Undefined when the file needs the full parser.
 */
export function parseSimpleFile(file: string, text: string): FileParse | undefined {
  const docs = parseSimpleYaml(text);
  if (!docs) return undefined;
  const source = new FileSource(file, () => text);
  const documents = docs.map(({ index, value, line, column }): ParsedDocument => {
    const pos = { file, line, column };
    return { file, index, value, pos, positions: new LazyPositions(source, index, pos) };
  });
  return { documents, diagnostics: [] };
}

type FileParse = { documents: ParsedDocument[]; diagnostics: Diagnostic[] };

/** The first alias of a document whose anchor is not defined before it, if any. */
function unresolvedAlias(doc: Document.Parsed): Alias | undefined {
  const { visit } = yamlLib();
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function keyAt(text: string, offset: number): string {
  return (/^[^:\n]*/.exec(text.slice(offset, offset + 200))?.[0] ?? '').trim();
}

/** Walks the tree without recursion: refuses deep nesting and `__proto__` keys. */
function inspectTree(root: Node, posAt: (o: number) => SourcePos): Diagnostic | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) {
      const range = (node as Node).range;
      return error('yaml-too-deep', `Nesting deeper than ${MAX_DEPTH} levels is not allowed.`, posAt(range?.[0] ?? 0));
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === '__proto__') {
          return error('invalid-field', 'The key "__proto__" is not allowed.', posAt(pair.key.range?.[0] ?? 0));
        }
        if (pair.value) stack.push([pair.value, depth + 1]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node) && node.value) {
      stack.push([node.value, depth + 1]);
    }
  }
  return undefined;
}
