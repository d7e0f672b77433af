import type { LogLine } from '../../ports/container-runtime.js';

/** One frame of Docker's multiplexed stream (non-TTY containers and execs). */
export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

const HEADER = 8;

/**
 * Splits Docker's multiplexed stream into frames: an 8-byte header (stream type 0/1/2, three
 * zero bytes, big-endian length) before each payload. A stream that does not start with such a
 * header comes from a TTY container, which Docker does not multiplex: it is passed as stdout.
 */
export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);
  private raw: boolean | undefined;

  constructor(private readonly onFrame: (f: Frame) => void) {}

  push(chunk: Buffer): void {
    if (this.raw) {
      this.onFrame({ stream: 'stdout', data: chunk });
      return;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= HEADER) {
      const type = this.pending[0]!;
      if (this.raw === undefined) {
        this.raw = type > 2 || this.pending[1] !== 0 || this.pending[2] !== 0 || this.pending[3] !== 0;
        if (this.raw) {
          const all = this.pending;
          this.pending = Buffer.alloc(0);
          this.onFrame({ stream: 'stdout', data: all });
          return;
        }
      }
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + length) return;
      const data = this.pending.subarray(HEADER, HEADER + length);
      this.pending = this.pending.subarray(HEADER + length);
      this.onFrame({ stream: type === 2 ? 'stderr' : 'stdout', data });
    }
  }

  /** Whatever is left (a short TTY stream, or a truncated frame) goes out as stdout. */
  end(): void {
    if (this.pending.length) this.onFrame({ stream: 'stdout', data: this.pending });
    this.pending = Buffer.alloc(0);
  }
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/**
 * Turns frames into lines, one partial-line buffer per stream so a line split across frames
 * stays whole. With `timestamps`, strips the RFC 3339 time Docker puts before each line.
 */
export class LineSplitter {
  private readonly partial = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  constructor(
    private readonly onLine: (l: LogLine) => void,
    private readonly timestamps: boolean,
  ) {}

  push(f: Frame): void {
    let buf = Buffer.concat([this.partial[f.stream], f.data]);
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      this.emit(f.stream, buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
    }
    this.partial[f.stream] = buf;
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream].length) this.emit(stream, this.partial[stream]);
      this.partial[stream] = Buffer.alloc(0);
    }
  }

  private emit(stream: LogLine['stream'], bytes: Buffer): void {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const m = this.timestamps ? TIMESTAMP.exec(text) : null;
    if (!m) {
      this.onLine({ stream, text });
      return;
    }
    // Date keeps milliseconds: Docker's nanoseconds are cut, not rounded, so order is kept.
    const iso = m[1]!.replace(/(\.\d{3})\d+/, '$1');
    this.onLine({ stream, text: text.slice(m[0].length), time: new Date(iso) });
  }
}

/** Feeds a multiplexed stream through a demuxer and a line splitter; resolves at its end. */
export function readLines(stream: NodeJS.ReadableStream, onLine: (l: LogLine) => void, timestamps: boolean): Promise<void> {
  const lines = new LineSplitter(onLine, timestamps);
  const demux = new Demuxer((f) => lines.push(f));
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      demux.end();
      lines.end();
      resolve();
    });
  });
}

/** Docker's `since`/`until` parameter: seconds since the epoch, with a fraction. */
export const dockerTime = (d: Date): string => (d.getTime() / 1000).toFixed(3);
