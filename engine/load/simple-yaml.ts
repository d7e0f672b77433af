/**
 * A fast reader for the YAML that config repos are nearly always made of: block mappings and
 * sequences indented with spaces, plain and one-line quoted scalars, one-line flow collections,
 * comments, and `---` between documents. For such a file it returns exactly what the `yaml`
 * package's `parseAllDocuments(...).toJS()` returns with YAML_OPTIONS (YAML 1.2 core schema),
 * without building a Document of nodes with source ranges, which is most of the CPU time of a
 * plan of thousands of resources. For anything else (anchors, aliases, tags, merge keys, block
 * and multi-line scalars, escapes it does not know, tabs, duplicate keys, anything invalid,
 * anything it is not sure of) it answers undefined and the caller uses the full parser, which
 * also reports every diagnostic: this reader never produces one.
 */

import {
  BAIL,
  bail,
  DASH,
  FLOW_STOP,
  isKeyChar,
  isKeyStart,
  keyOf,
  plainScalar,
  plainStart,
  quotedScalar,
  skipSpaces,
  SPACE,
} from './simple-yaml-scalars.js';

/** One non-empty document of a file, in the full parser's numbering, with its root node's position. */
export interface SimpleDocument {
  /** 0-based index among the documents the full parser finds (empty ones included). */
  index: number;
  value: Record<string, unknown> | unknown[];
  /** 1-based line and column of the root node, as the full parser's LineCounter gives them. */
  line: number;
  column: number;
}

/** Deeper than this is left to the full parser, which refuses nesting beyond MAX_DEPTH with a diagnostic. */
const MAX_SIMPLE_DEPTH = 24;
// Characters whose handling differs between YAML versions, or that the full parser reports:
// tabs (refused as indentation), CR (CRLF files), control and C1 characters, BOM, NEL,
// line/paragraph separators and non-characters.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

/** The documents of `text`, or undefined when the full parser must read it. */
export function parseSimpleYaml(text: string): SimpleDocument[] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new Reader(text).documents();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

const HASH = 35;
const COLON = 58;

/** A line with content (not blank, not only a comment): where its content starts and ends. */
interface Line {
  indent: number;
  start: number;
  end: number;
  lineNo: number;
}

class Reader {
  private lines: Line[] = [];
  private i = 0;

  constructor(private readonly text: string) {}

  documents(): SimpleDocument[] {
    const { text } = this;
    const docs: SimpleDocument[] = [];
    let index = 0;
    // Content before the first `---` is a document only if it has any; each `---` starts one.
    let started = false;
    const finish = () => {
      if (this.lines.length > 0) docs.push(this.document(index));
      if (this.lines.length > 0 || started) index++;
      this.lines = [];
    };
    let lineNo = 0;
    for (let pos = 0; pos <= text.length;) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = text.length;
      lineNo++;
      let end = eol;
      while (end > pos && text.charCodeAt(end - 1) === SPACE) end--;
      let start = pos;
      while (start < end && text.charCodeAt(start) === SPACE) start++;
      if (start < end && text.charCodeAt(start) !== HASH) {
        const c = text.charCodeAt(start);
        if (
          start === pos &&
          (c === DASH || c === 46 /* . */ || c === 37) /* % */ &&
          /^(?:---|\.\.\.|%)/.test(text.slice(start, start + 3))
        ) {
          if (end - start !== 3 || c !== DASH) bail(); // `--- x`, `...`, directives: the full parser
          finish();
          started = true;
        } else {
          this.lines.push({ indent: start - pos, start, end, lineNo });
        }
      }
      pos = eol + 1;
    }
    finish();
    return docs;
  }

  private document(index: number): SimpleDocument {
    this.i = 0;
    const first = this.lines[0];
    const value = this.block(first.indent, 1);
    if (this.i !== this.lines.length) bail(); // a line indented where nothing can continue
    return { index, value: value as SimpleDocument['value'], line: first.lineNo, column: first.indent + 1 };
  }

  private isSeqItem(l: Line): boolean {
    return this.text.charCodeAt(l.start) === DASH && (l.start + 1 === l.end || this.text.charCodeAt(l.start + 1) === SPACE);
  }

  private block(indent: number, depth: number): unknown {
    if (depth > MAX_SIMPLE_DEPTH) bail();
    return this.isSeqItem(this.lines[this.i]) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  /** A block mapping whose keys start at column `indent` (0-based). */
  private map(indent: number, depth: number): Record<string, unknown> {
    const { text, lines } = this;
    const out: Record<string, unknown> = {};
    while (this.i < lines.length && lines[this.i].indent === indent) {
      const l = lines[this.i];
      if (this.isSeqItem(l)) bail(); // a sequence beside keys of the same mapping
      const colon = this.keyEnd(l.start, l.end);
      const key = keyOf(text.slice(l.start, colon));
      if (Object.hasOwn(out, key)) bail(); // duplicate: the full parser reports it
      let p = colon + 1;
      while (p < l.end && text.charCodeAt(p) === SPACE) p++;
      if (p === l.end || text.charCodeAt(p) === HASH) {
        this.i++;
        const next = lines[this.i];
        out[key] =
          next && (next.indent > indent || (next.indent === indent && this.isSeqItem(next)))
            ? this.block(next.indent, depth + 1)
            : null;
      } else {
        out[key] = this.inline(p, l.end, depth + 1);
        this.i++;
      }
    }
    return out;
  }

  /** A block sequence whose dashes are at column `indent`. */
  private seq(indent: number, depth: number): unknown[] {
    const { text, lines } = this;
    const out: unknown[] = [];
    while (this.i < lines.length && lines[this.i].indent === indent && this.isSeqItem(lines[this.i])) {
      const l = lines[this.i];
      let p = l.start + 1;
      while (p < l.end && text.charCodeAt(p) === SPACE) p++;
      if (p === l.end || text.charCodeAt(p) === HASH) {
        this.i++;
        const next = lines[this.i];
        out.push(next && next.indent > indent ? this.block(next.indent, depth + 1) : null);
      } else if (text.charCodeAt(p) === DASH && (p + 1 === l.end || text.charCodeAt(p + 1) === SPACE)) {
        bail(); // `- - x`
      } else if (this.keyEndOrUndefined(p, l.end) !== undefined) {
        // `- key: value`: a mapping whose keys start where this first key does.
        const column = p - (l.start - l.indent);
        lines[this.i] = { indent: column, start: p, end: l.end, lineNo: l.lineNo };
        out.push(this.map(column, depth + 1));
      } else {
        out.push(this.inline(p, l.end, depth + 1));
        this.i++;
      }
    }
    return out;
  }

  /** Where the `:` of a `key: ` or `key:` line is; bails when the line is not one. */
  private keyEnd(start: number, end: number): number {
    return this.keyEndOrUndefined(start, end) ?? bail();
  }

  private keyEndOrUndefined(start: number, end: number): number | undefined {
    const { text } = this;
    let p = start;
    const c = text.charCodeAt(p);
    if (!isKeyStart(c)) return undefined;
    p++;
    while (p < end && isKeyChar(text.charCodeAt(p))) p++;
    if (p >= end || text.charCodeAt(p) !== COLON) return undefined;
    if (p + 1 < end && text.charCodeAt(p + 1) !== SPACE) return undefined;
    return p;
  }

  /** A value that starts on this line and must end on it: flow collection, quoted or plain scalar. */
  private inline(p: number, end: number, depth: number): unknown {
    const { text } = this;
    const c = text[p];
    let value: unknown;
    let after: number;
    if (c === '[' || c === '{') [value, after] = this.flow(p, end, depth);
    else if (c === '"' || c === "'") [value, after] = quotedScalar(text, p, end);
    else return plainScalar(this.plainBlock(p, end));
    while (after < end && text.charCodeAt(after) === SPACE) after++;
    // After the value only a comment may follow (a `:` would make it a key: the full parser).
    if (after < end && !(text.charCodeAt(after) === HASH && text.charCodeAt(after - 1) === SPACE)) bail();
    return value;
  }

  /** The text of a plain scalar in block context: to the end of the line or a ` #` comment. */
  private plainBlock(p: number, end: number): string {
    const { text } = this;
    if (!plainStart(text, p, end)) bail();
    let stop = end;
    const hash = text.indexOf(' #', p);
    if (hash >= 0 && hash < end) stop = hash;
    let s = text.slice(p, stop);
    if (stop !== end) s = s.trimEnd();
    // `a: b: c` is an error, `a: b:` a nested key: both for the full parser.
    if (s.includes(': ') || s.endsWith(':')) bail();
    return s;
  }

  /** A flow sequence or mapping that closes on this line. */
  private flow(p: number, end: number, depth: number): [unknown, number] {
    if (depth > MAX_SIMPLE_DEPTH) bail();
    const { text } = this;
    const isSeq = text[p] === '[';
    const close = isSeq ? ']' : '}';
    const out: unknown = isSeq ? [] : {};
    p = skipSpaces(text, p + 1, end);
    if (text[p] === close) return [out, p + 1];
    for (;;) {
      if (isSeq) {
        const [v, next] = this.flowItem(p, end, depth + 1);
        (out as unknown[]).push(v);
        p = next;
      } else {
        const colon = this.keyEndOrUndefined(p, end) ?? bail();
        if (text.charCodeAt(colon + 1) !== SPACE) bail(); // `{a:1}`, `{a:}`: the full parser
        const key = keyOf(text.slice(p, colon));
        if (Object.hasOwn(out as object, key)) bail();
        const [v, next] = this.flowItem(skipSpaces(text, colon + 1, end), end, depth + 1);
        (out as Record<string, unknown>)[key] = v;
        p = next;
      }
      p = skipSpaces(text, p, end);
      if (text[p] === close) return [out, p + 1];
      if (text[p] !== ',') bail();
      p = skipSpaces(text, p + 1, end);
      if (p >= end || text[p] === close) bail(); // trailing comma, or the line ends
    }
  }

  private flowItem(p: number, end: number, depth: number): [unknown, number] {
    const { text } = this;
    const c = text[p];
    let value: unknown;
    let after: number;
    if (c === '[' || c === '{') [value, after] = this.flow(p, end, depth);
    else if (c === '"' || c === "'") [value, after] = quotedScalar(text, p, end);
    else {
      if (!plainStart(text, p, end)) bail();
      let q = p;
      while (q < end && !FLOW_STOP.has(text[q])) q++;
      const s = text.slice(p, q).trimEnd();
      // A `: ` or ` #` inside, a `[`/`{` or `:` at the end: the full parser.
      if (s === '' || s.includes(': ') || s.includes(' #') || s.endsWith(':') || text[q] === '[' || text[q] === '{') bail();
      return [plainScalar(s), q];
    }
    const next = skipSpaces(text, after, end);
    if (text[next] === ':') bail(); // a quoted key inside a flow collection
    return [value, after];
  }
}
