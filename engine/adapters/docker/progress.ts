/**
 * One JSON message of a pull or build stream. Docker reports a failure inside the stream
 * (`error` / `errorDetail`) after it has answered 200, so the stream must be read to the end
 * and its messages checked: a callback's `err` alone (as in dockerode's followProgress) misses it.
 */
export interface JsonMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  /** Build output, with its own newlines. */
  stream?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  /** Build: `{ID: "sha256:..."}` once the image exists. */
  aux?: { ID?: string };
}

/** The error a message carries, if any. */
export const messageError = (m: JsonMessage): string | undefined => m.errorDetail?.message || m.error || undefined;

/**
 * Reads a newline-delimited JSON stream to its end, handing each message to `onMessage`.
 * Resolves with the first error message the stream carried (undefined when none). Rejects when
 * the connection fails, or with `signal.reason` when the signal aborts first.
 */
export function readJsonStream(
  stream: NodeJS.ReadableStream & { destroy?: (e?: Error) => void },
  onMessage: (m: JsonMessage) => void,
  signal?: AbortSignal,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let error: string | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const handle = (line: string) => {
      const text = line.trim();
      if (!text) return;
      let m: JsonMessage;
      try {
        m = JSON.parse(text) as JsonMessage;
      } catch {
        m = { stream: `${text}\n` }; // Not JSON: keep it as output rather than lose it.
      }
      error ??= messageError(m);
      onMessage(m);
    };
    const onAbort = () => {
      finish(() => reject(signal?.reason ?? new Error('aborted')));
      stream.destroy?.();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        handle(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
      }
    });
    stream.on('error', (e: Error) => finish(() => reject(e)));
    const onEnd = () => {
      handle(buffered);
      buffered = '';
      finish(() => resolve(error));
    };
    stream.on('end', onEnd);
    // A close without an end is a connection lost mid-stream, not a success.
    stream.on('close', () =>
      finish(() => reject(Object.assign(new Error('the daemon closed the stream early'), { code: 'ECONNRESET' }))),
    );
  });
}
