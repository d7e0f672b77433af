/**
 * The deepest nesting of flow collections (`[...]`, `{...}`) in a YAML text, stopping as soon
 * as it passes `limit`. The yaml parser recurses per level and needs about a second for a few
 * hundred kilobytes of brackets; this linear scan refuses them first. It skips quoted strings,
 * comments and block scalars (`|`, `>`), so brackets inside text never count.
 */
export function flowDepthExceeds(text: string, limit: number): number | undefined {
  let depth = 0;
  let blockIndent = -1; // inside a block scalar: lines indented deeper than this are text
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At the start of a line.
    let indent = 0;
    while (i + indent < n && text[i + indent] === ' ') indent++;
    const lineEnd = text.indexOf('\n', i) === -1 ? n : text.indexOf('\n', i);
    if (blockIndent >= 0) {
      const blank = i + indent >= lineEnd;
      if (blank || indent > blockIndent) {
        i = lineEnd + 1;
        continue;
      }
      blockIndent = -1;
    }
    let quote: string | undefined;
    let last = '';
    for (let j = i + indent; j < lineEnd; j++) {
      const c = text[j];
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '#' && (j === i + indent || text[j - 1] === ' ' || text[j - 1] === '\t')) break;
      if ((c === '"' || c === "'") && (depth > 0 || /[\s:,[{-]|^$/.test(last))) quote = c;
      else if (c === '[' || c === '{') {
        if (++depth > limit) return j;
      } else if ((c === ']' || c === '}') && depth > 0) depth--;
      if (c !== ' ') last = c;
    }
    // A line ending in a block scalar indicator (`key: |`, `- >-`) starts literal text below it.
    if (depth === 0 && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(text.slice(i + indent, lineEnd))) blockIndent = indent;
    i = lineEnd + 1;
  }
  return undefined;
}
