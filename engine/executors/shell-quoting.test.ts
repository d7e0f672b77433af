import { describe, expect, it } from 'vitest';
import { quotingAt, type ShellQuoting } from './shell-quoting.js';

/** The quoting at each `@` of `text` (each `@` stands for a secret). */
function at(text: string): string[] {
  const offsets = [...text].flatMap((c, i) => (c === '@' ? [i] : []));
  return quotingAt(text, offsets).map((q) => (q.escaped ? `escaped ${q.quoting}` : q.quoting));
}
const one = (text: string): string => at(text)[0];
const is = (q: ShellQuoting) => q;

describe('quotingAt', () => {
  it('reads a word outside quotes as unquoted, whatever text is next to it', () => {
    expect(at('echo @ --token=@ Bearer@x @@')).toEqual(['unquoted', 'unquoted', 'unquoted', 'unquoted', 'unquoted']);
  });

  it('reads inside double quotes, single quotes and $-single quotes', () => {
    expect(at(`echo "a @ b" 'a @ b' $'a @ b' @`)).toEqual([is('double'), is('single'), is('dollar-single'), is('unquoted')]);
  });

  it('keeps a quote of the other kind inside quotes as text', () => {
    expect(one(`echo "it's" @`)).toBe('unquoted');
    expect(one(`echo 'say "hi"' @`)).toBe('unquoted');
    expect(one(`echo "it's @"`)).toBe('double');
    expect(one(`echo 'a "@" b'`)).toBe('single');
  });

  it('knows escaped quotes and backslashes', () => {
    expect(one(`echo \\' @`)).toBe('unquoted');
    expect(one(`echo "a \\" @"`)).toBe('double');
    expect(one(`echo "a \\\\" @`)).toBe('unquoted');
    expect(one(`echo $'it\\'s @'`)).toBe('dollar-single');
    // Inside single quotes a backslash is text: the quote closes.
    expect(one(`echo 'a\\' @`)).toBe('unquoted');
  });

  it('says when a backslash right before the secret escapes it', () => {
    expect(at('echo \\@ "\\@" \\\\@')).toEqual(['escaped unquoted', 'escaped double', 'unquoted']);
    expect(one(`echo '\\@'`)).toBe('single');
  });

  it('reads comments to the end of the line, so quotes in them count for nothing', () => {
    expect(at("echo hi # don't @\necho @")).toEqual(['comment', 'unquoted']);
    // A # inside a word is not a comment.
    expect(one('echo a#b @')).toBe('unquoted');
    expect(one('echo ${#HOME} @')).toBe('unquoted');
  });

  it('starts afresh inside $(…) and backquotes, and returns to the outer quoting after them', () => {
    expect(at(`echo "$(printf '%s' '@' "@" @)" "@"`)).toEqual(['single', 'double', 'unquoted', 'double']);
    expect(at('echo "`echo @ "@"`" @')).toEqual(['unquoted', 'double', 'unquoted']);
    expect(one('echo $(echo "(" ) @')).toBe('unquoted');
    expect(one('echo $( (echo a) ; echo @ )')).toBe('unquoted');
  });

  it('reads ${…} words as quoted or not like the expansion around them', () => {
    expect(at('echo ${X:-@} "${X:-@}" ${X:+"@"}')).toEqual(['unquoted', 'double', 'double']);
    // Single quotes are text inside a ${…} that is itself inside double quotes.
    expect(one(`echo "\${X:-'}" @`)).toBe('unquoted');
  });

  it('reads arithmetic as double-quoted (the value is expanded, then evaluated)', () => {
    expect(at('echo $(( @ + (1 * 2) )) @')).toEqual(['double', 'unquoted']);
  });

  it('reads here-document bodies, and returns to the command after their delimiter', () => {
    expect(at('cat <<EOF\na "@" \'@\'\nEOF\necho @')).toEqual(['heredoc', 'heredoc', 'unquoted']);
    expect(at("cat <<'EOF'\n'@\nEOF\necho @")).toEqual(['quoted-heredoc', 'unquoted']);
    expect(at('cat <<"E F"\n@\nE F\necho @')).toEqual(['quoted-heredoc', 'unquoted']);
    expect(at('cat <<\\EOF\n@\nEOF\necho @')).toEqual(['quoted-heredoc', 'unquoted']);
    // <<- strips leading tabs, from the delimiter line too.
    expect(at('cat <<-EOF\n\t@\n\tEOF\necho @')).toEqual(['heredoc', 'unquoted']);
  });

  it('reads two here-documents of one line in order, and the rest of that line as a command', () => {
    expect(at("cat <<A <<'B' && echo '@'\n@\nA\n@\nB\n@")).toEqual(['single', 'heredoc', 'quoted-heredoc', 'unquoted']);
  });

  it('expands $(…) inside a here-document body', () => {
    expect(at("cat <<EOF\n$(echo '@')\nEOF")).toEqual(['single']);
  });

  it('does not take a here-string or a shift for a here-document', () => {
    expect(one('cat <<<@')).toBe('unquoted');
    expect(one('echo $((1 << 2)) @')).toBe('unquoted');
  });

  it('gives every offset a state, even one inside a here-document delimiter', () => {
    expect(at("cat <<'a@b'\nx")).toHaveLength(1);
    expect(at('echo "unclosed @')).toEqual(['double']);
  });
});
