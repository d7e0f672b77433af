import type { DestinationStream } from 'pino';
import type { Output } from '../ports/output.js';
import { scrubJsonText } from '../model/scrub-json-text.js';

/** What masks the known secret values in a text (the engine's SecretScrubber). */
interface Scrub {
  scrub(text: string): string;
}

/**
 * A terminal stream (stdout, stderr) through which no known secret value is printed; a JSON
 * document (`--format json`) stays valid JSON (scrubJsonText).
 */
export function scrubbedOutput(out: Output, scrubber: Scrub): Output {
  const scrub = (text: string) => scrubber.scrub(text);
  return { write: (text: string) => out.write(scrubJsonText(scrub, text)), isTTY: out.isTTY };
}

/**
 * Where `ploy serve` logs: every line, as pino has finished it (message, fields, serialized
 * errors, child bindings), with known secret values masked in its strings on its way to `inner`.
 * The scrubber knows each value's JSON-escaped form, so a value inside a JSON line is caught, and
 * numbers (the time) are left alone, so the line stays valid JSON.
 */
export function scrubbedDestination(scrubber: Scrub, inner: { write(line: string): unknown }): DestinationStream {
  const scrub = (text: string) => scrubber.scrub(text);
  return { write: (line: string) => void inner.write(scrubJsonText(scrub, line)) };
}

/**
 * The log's real destination, masked: JSON lines on stdout for machines, or readable lines when a
 * person watches a terminal. pino-pretty runs in this thread (a transport's worker thread would
 * receive the lines before they could be scrubbed).
 */
export async function scrubbedLog(scrubber: Scrub, tty: boolean): Promise<DestinationStream> {
  if (tty) {
    const { default: pretty } = await import('pino-pretty');
    return scrubbedDestination(scrubber, pretty({ translateTime: 'SYS:HH:MM:ss' }));
  }
  const { pino } = await import('pino');
  return scrubbedDestination(scrubber, pino.destination({ dest: 1, sync: true }));
}
