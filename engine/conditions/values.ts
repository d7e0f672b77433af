/**
 * How condition values become numbers. Gatus is written in Go and its values are strings, so
 * "is this a number" means what Go's strconv and time packages accept; matching them keeps
 * conditions portable between Gatus and Ploy (e.g. `[BODY].data == 1` passes for `"0x1"`).
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Valid digits per base (underscores are checked separately). */
const DIGITS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

/** How BigInt() is told the base. */
const RADIX_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/**
 * Parses an integer like Go's `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`
 * prefixes, a bare leading `0` meaning octal (`010` is 8), and `_` between digits. Returns
 * undefined for anything else or outside the int64 range.
 */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  const prefix = s.slice(0, 2).toLowerCase();
  if (prefix === '0x' || prefix === '0o' || prefix === '0b') {
    base = prefix === '0x' ? 16 : prefix === '0o' ? 8 : 2;
    digits = s.slice(2);
    prefixed = true;
  } else if (s.length > 1 && s.startsWith('0')) {
    base = 8;
    digits = s.slice(1);
    prefixed = true;
  }
  // Go allows `_` only between digits, or right after a base prefix.
  if (prefixed && digits.startsWith('_')) digits = digits.slice(1);
  if (digits.startsWith('_') || digits.endsWith('_') || digits.includes('__')) return undefined;
  digits = digits.replaceAll('_', '');
  if (!DIGITS[base]!.test(digits)) return undefined;
  const magnitude = BigInt(RADIX_PREFIX[base]! + digits);
  const value = negative ? -magnitude : magnitude;
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** Parses a decimal float as Go's `strconv.ParseFloat` does for plain decimal text. */
export function parseGoFloat(text: string): number | undefined {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Milliseconds per unit. `d` is Ploy's addition (Go has no day unit; Ploy durations use `2d`). */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d))+$/;
const COMPONENT = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g;

/**
 * Parses a duration like Go's `time.ParseDuration` (`1h30m`, `500ms`, `1.5s`, bare `0`) plus a
 * `d` unit, in milliseconds. Returns undefined when the text is not a duration; a plain number
 * such as `800` is not one (it is compared as a number of milliseconds instead).
 */
export function parseDurationMs(text: string): number | undefined {
  if (/^[+-]?0$/.test(text)) return 0;
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(COMPONENT)) total += Number(amount) * UNIT_MS[unit!]!;
  return text.startsWith('-') ? -total : total;
}

/**
 * The number a value stands for in `<`, `<=`, `>`, `>=`: a duration in milliseconds, else an
 * integer (Go syntax), else a decimal. Undefined when it is none of them (Gatus would use 0;
 * Ploy fails the condition instead, so `[BODY].count < 10` cannot pass on `"n/a"`).
 */
export function toNumber(text: string): number | undefined {
  const duration = parseDurationMs(text);
  if (duration !== undefined && duration !== 0) return duration;
  const int = parseGoInt(text);
  if (int !== undefined) return Number(int);
  return parseGoFloat(text) ?? duration;
}

/**
 * Formats milliseconds as a compact duration, truncated to whole seconds, without trailing zero
 * units: `336h`, `1h30m`, `1h0m15s`, `45s`, `0s` (how Gatus shows certificate expirations).
 */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.trunc(Math.abs(ms) / 1000);
  if (totalSeconds === 0) return '0s';
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0 || (hours > 0 && seconds > 0)) out += `${minutes}m`;
  if (seconds > 0) out += `${seconds}s`;
  return (ms < 0 ? '-' : '') + out;
}
