/**
 * How POSIX sh reads a position of a command's text, as far as quoting goes: what a secret that
 * was written there must be replaced with so that the shell reads it from a variable with the
 * same meaning. No npm library fits: shell parsers (shell-quote, bash-parser) return tokens
 * without the quoting state at an offset, which is all this needs.
 */
export type ShellQuoting =
  /** A word outside quotes: an expansion would be split and globbed. */
  | 'unquoted'
  /** Inside "…", or in an arithmetic $((…)): expansions are not split. */
  | 'double'
  /** Inside '…': nothing expands. */
  | 'single'
  /** Inside $'…' (POSIX.1-2024; bash, busybox ash): nothing expands, backslashes escape. */
  | 'dollar-single'
  /** The body of a here-document with an unquoted delimiter (<<EOF): expands; quotes are text. */
  | 'heredoc'
  /** The body of a here-document with a quoted delimiter (<<'EOF'): nothing expands. */
  | 'quoted-heredoc'
  /** From a `#` that starts a word to the end of the line. */
  | 'comment';

/** The quoting at one position, and whether a backslash right before it escapes it. */
export interface QuotingAt {
  quoting: ShellQuoting;
  escaped: boolean;
}

type FrameKind = 'top' | 'subst' | 'backtick' | 'param' | 'arith' | 'heredoc' | 'quoted-heredoc';

interface Frame {
  kind: FrameKind;
  quote: 'none' | 'double' | 'single' | 'dollar' | 'comment';
  /** Open parentheses (subst, arith) or braces (param) not yet closed inside this frame. */
  depth: number;
  /** A ${…} inside double quotes (or a here-document): its word is not split either. */
  inDouble: boolean;
  delimiter?: string;
  stripTabs?: boolean;
}

interface PendingHeredoc {
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}

const frame = (kind: FrameKind, inDouble = false): Frame => ({ kind, quote: 'none', depth: 0, inDouble });
/** Characters after which a new word starts (a `#` there begins a comment). */
const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const HEREDOC_WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/**
 * The quoting state of sh `text` just before each of `offsets` (ascending), the character at an
 * offset being read as an ordinary word character (a placeholder for what goes there). Covers
 * '…', "…", $'…', backslashes, comments, $(…), `…`, ${…}, $((…)) and here-documents; it does
 * not run the shell's full grammar (a `case` pattern's unbalanced `)` inside $(…) ends it early).
 */
export function quotingAt(text: string, offsets: readonly number[]): QuotingAt[] {
  const out: QuotingAt[] = [];
  const stack: Frame[] = [frame('top')];
  const pending: PendingHeredoc[] = [];
  let escaped = false;
  let wordStart = true;
  let next = 0;
  for (let i = 0; i < text.length && next < offsets.length; i++) {
    const f = stack[stack.length - 1];
    // An offset jumped over (a placeholder inside a here-document's delimiter word) is read
    // where reading resumed: never skipped, so every secret gets a reference.
    while (offsets[next] < i) {
      out.push({ quoting: quotingOf(f), escaped: false });
      next++;
    }
    if ((f.kind === 'heredoc' || f.kind === 'quoted-heredoc') && (i === 0 || text[i - 1] === '\n') && !escaped) {
      const end = text.indexOf('\n', i);
      const line = text.slice(i, end < 0 ? text.length : end);
      if ((f.stripTabs ? line.replace(/^\t+/, '') : line) === f.delimiter) {
        stack.pop();
        // The newline after the delimiter is read by the frame beneath (maybe the next body).
        i = (end < 0 ? text.length : end) - 1;
        continue;
      }
    }
    if (i === offsets[next]) {
      out.push({ quoting: quotingOf(f), escaped });
      next++;
      escaped = false;
      wordStart = false;
      continue;
    }
    const c = text[i];
    if (escaped) {
      escaped = false;
      wordStart = false;
      continue;
    }
    switch (f.quote) {
      case 'single':
        if (c === "'") f.quote = 'none';
        continue;
      case 'dollar':
        if (c === '\\') escaped = true;
        else if (c === "'") f.quote = 'none';
        continue;
      case 'comment':
        if (c !== '\n') continue;
        f.quote = 'none';
        break; // the newline ends the comment and may start here-document bodies
      case 'double':
        if (c === '\\') escaped = true;
        else if (c === '"') f.quote = 'none';
        else if (c === '$' || c === '`') i = open(text, i, stack, true);
        continue;
    }
    // Outside quotes, by frame.
    if (f.kind === 'quoted-heredoc') continue;
    if (f.kind === 'heredoc' || f.kind === 'arith') {
      if (c === '\\') escaped = true;
      else if (c === '$' || c === '`') i = open(text, i, stack, true);
      else if (f.kind === 'arith' && c === '(') f.depth++;
      else if (f.kind === 'arith' && c === ')') {
        if (f.depth > 0) f.depth--;
        else if (text[i + 1] === ')') {
          stack.pop();
          i++;
        }
      }
      continue;
    }
    const literalQuotes = f.kind === 'param' && f.inDouble;
    if (c === '\\') escaped = true;
    else if (c === '"') f.quote = 'double';
    else if (c === "'" && !literalQuotes) f.quote = 'single';
    else if (c === '$' && text[i + 1] === "'" && !literalQuotes && i + 1 !== offsets[next]) {
      f.quote = 'dollar';
      i++;
    } else if (c === '$') i = open(text, i, stack, f.inDouble);
    else if (c === '`' && f.kind === 'backtick') stack.pop();
    else if (c === '`') stack.push(frame('backtick'));
    else if (c === '#' && wordStart && f.kind !== 'param') f.quote = 'comment';
    else if (c === '(' && f.kind === 'subst') f.depth++;
    else if (c === ')' && f.kind === 'subst') {
      if (f.depth > 0) f.depth--;
      else stack.pop();
    } else if (c === '{' && f.kind === 'param') f.depth++;
    else if (c === '}' && f.kind === 'param') {
      if (f.depth > 0) f.depth--;
      else stack.pop();
    } else if (c === '<' && text[i + 1] === '<' && f.kind !== 'param') {
      i = readHeredocOperator(text, i, offsets[next] ?? Infinity, pending);
    } else if (c === '\n' && pending.length > 0) {
      // The bodies follow this line in the order their operators came: the first on top.
      for (const h of pending.reverse()) {
        stack.push({ ...frame(h.quoted ? 'quoted-heredoc' : 'heredoc', true), delimiter: h.delimiter, stripTabs: h.stripTabs });
      }
      pending.length = 0;
    }
    wordStart = WORD_BREAK.has(c);
  }
  // Offsets past the end of the text, if any, are read where the text left off.
  while (out.length < offsets.length) out.push({ quoting: quotingOf(stack[stack.length - 1]), escaped });
  return out;
}

function quotingOf(f: Frame): ShellQuoting {
  switch (f.quote) {
    case 'single':
      return 'single';
    case 'dollar':
      return 'dollar-single';
    case 'double':
      return 'double';
    case 'comment':
      return 'comment';
  }
  if (f.kind === 'heredoc' || f.kind === 'quoted-heredoc') return f.kind;
  if (f.kind === 'arith') return 'double';
  if (f.kind === 'param' && f.inDouble) return 'double';
  return 'unquoted';
}

/** At a `$` or a backquote: pushes the frame it opens, if any, and returns where reading goes on. */
function open(text: string, i: number, stack: Frame[], inDouble: boolean): number {
  if (text[i] === '`') {
    const top = stack[stack.length - 1];
    if (top.kind === 'backtick') stack.pop();
    else stack.push(frame('backtick'));
    return i;
  }
  const n = text[i + 1];
  if (n === '(' && text[i + 2] === '(') {
    stack.push(frame('arith'));
    return i + 2;
  }
  if (n === '(') {
    stack.push(frame('subst'));
    return i + 1;
  }
  if (n === '{') {
    stack.push(frame('param', inDouble));
    return i + 1;
  }
  return i;
}

/**
 * Reads `<<WORD` or `<<-WORD` at `i` (not bash's `<<<`) and queues its here-document; returns
 * the index of the word's last character. The word ends before `stop` (a placeholder's offset).
 */
function readHeredocOperator(text: string, i: number, stop: number, pending: PendingHeredoc[]): number {
  let j = i + 2;
  if (text[j] === '<') return j; // a here-string: not a here-document
  const stripTabs = text[j] === '-';
  if (stripTabs) j++;
  while (text[j] === ' ' || text[j] === '\t') j++;
  let delimiter = '';
  let quoted = false;
  while (j < text.length && j < stop && !HEREDOC_WORD_END.has(text[j])) {
    const c = text[j];
    if (c === "'" || c === '"') {
      quoted = true;
      const close = text.indexOf(c, j + 1);
      if (close < 0 || close >= stop) break;
      delimiter += text.slice(j + 1, close);
      j = close + 1;
    } else if (c === '\\') {
      quoted = true;
      delimiter += text[j + 1] ?? '';
      j += 2;
    } else {
      delimiter += c;
      j++;
    }
  }
  if (delimiter) pending.push({ delimiter, quoted, stripTabs });
  return j - 1;
}
