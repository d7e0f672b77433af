/** The most output a run keeps: the tail, where the error usually is. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;

/**
 * stdout and stderr of a run, interleaved in the order they arrive, bounded to the last
 * `limit` bytes. Chunks are kept as they come and trimmed from the front, so a chatty job
 * costs at most about twice the limit in memory, never its whole output.
 */
export class OutputTail {
  #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT_BYTES) {}

  write(chunk: Buffer | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (b.length === 0) return;
    this.#chunks.push(b);
    this.#size += b.length;
    while (this.#size - this.#chunks[0].length >= this.limit) {
      const first = this.#chunks.shift()!;
      this.#size -= first.length;
      this.#dropped += first.length;
    }
  }

  /** Bytes left out from the front so far. */
  get dropped(): number {
    return this.#dropped + Math.max(0, this.#size - this.limit);
  }

  /**
   * The kept tail as text. When the front was cut, the text starts at the first whole line (when
   * it has one): a secret cut in half there could no longer be recognised and masked.
   */
  text(): string {
    const all = Buffer.concat(this.#chunks);
    const start = Math.max(0, all.length - this.limit);
    return fromLineStart(all.subarray(start).toString('utf8'), start > 0 || this.#dropped > 0);
  }
}

/** The last `chars` characters of a text, from the first whole line in them when the text was cut. */
export function lastLines(text: string, chars: number): string {
  return text.length <= chars ? text : fromLineStart(text.slice(-chars), true);
}

function fromLineStart(text: string, cut: boolean): string {
  const br = cut ? text.indexOf('\n') : -1;
  return br === -1 ? text : text.slice(br + 1);
}
