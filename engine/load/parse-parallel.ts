import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../model/diagnostic.js';
import { FileSource, LazyPositions } from './lazy-positions.js';
import { cachedParse, type FileParse, keepParse, parseKey } from './parse-cache.js';
import { decodeText, type ParsedDocument, parseSimpleFile } from './parse-file.js';
import type { SnapshotFile } from './snapshot.js';

/** One file as sent to a worker. */
export interface WorkerFile {
  path: string;
  bytes: Uint8Array;
}
/** A worker's answer: per file sent, its parse without position indexes. */
export type WorkerAnswer = Array<{ documents: Array<Omit<ParsedDocument, 'positions'>>; diagnostics: Diagnostic[] }>;

/**
 * Below this many bytes to parse, starting a worker (~50 ms: a thread, its own copy of the
 * yaml module) costs more than it saves. A repo of 1,000 resources is about 190 KB.
 */
export const PARALLEL_MIN_BYTES = 64 * 1024;

const WORKER = new URL('./parse-worker.js', import.meta.url);

/**
 * Parses the files of a snapshot into the parse cache, so that loadSnapshot finds them there.
 * Files in the common form are read on this thread by the fast reader; of the rest, large
 * amounts are split by size between worker threads (one per CPU, up to 4): YAML
 * parsing is most of the CPU time of a plan of thousands of resources, and this thread has
 * other work meanwhile (opening the store: PGlite's start is about a second of CPU). The
 * results are those of parseFile itself; the files of a worker that fails are parsed by
 * loadSnapshot on this thread, the same way. Small snapshots are left to loadSnapshot.
 */
export async function parseSnapshot(files: readonly SnapshotFile[]): Promise<void> {
  const todo = files
    .map((f) => ({ path: f.path, bytes: f.bytes, key: parseKey(f.path, f.bytes) }))
    .filter((f) => cachedParse(f.key) === undefined)
    .filter((f) => !keepSimple(f));
  const total = todo.reduce((n, f) => n + f.bytes.length, 0);
  // Under vitest the engine runs from its TypeScript sources, where there is no worker script.
  const threads = Math.min(availableParallelism(), 4);
  if (total < PARALLEL_MIN_BYTES || threads < 2 || !existsSync(fileURLToPath(WORKER))) return;
  const shares = split(todo, threads, total);
  const results = await Promise.all(shares.map((share) => inWorker(share)));
  shares.forEach((share, i) => {
    const answer = results[i];
    // A worker that failed: loadSnapshot parses its files on this thread.
    if (!answer) return;
    share.forEach((f, j) => keepParse(f.key, withPositions(f, answer[j])));
  });
}

/**
 * Reads a file in the common form right here (simple-yaml.ts: about twenty times faster than the
 * yaml package, so a worker would not pay for itself); the others are left to the workers.
 */
function keepSimple(f: { path: string; bytes: Uint8Array; key: string }): boolean {
  const text = decodeText(f.bytes);
  const parsed = text === undefined ? undefined : parseSimpleFile(f.path, text);
  if (parsed) keepParse(f.key, parsed);
  return parsed !== undefined;
}

/** Splits files into `n` runs of about equal size, keeping their order. */
function split<T extends { bytes: Uint8Array }>(files: T[], n: number, total: number): T[][] {
  const shares: T[][] = [[]];
  let size = 0;
  for (const f of files) {
    if (size >= (total / n) * shares.length && shares.length < n) shares.push([]);
    shares[shares.length - 1].push(f);
    size += f.bytes.length;
  }
  return shares;
}

function inWorker(files: WorkerFile[]): Promise<WorkerAnswer | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER);
    const done = (answer: WorkerAnswer | undefined) => {
      resolve(answer);
      void worker.terminate();
    };
    worker.once('message', (answer: WorkerAnswer) => done(answer));
    worker.once('error', () => done(undefined));
    worker.once('exit', () => done(undefined));
    worker.postMessage(files.map(({ path, bytes }) => ({ path, bytes })));
  });
}

/** A worker's parse of one file, with lazy position indexes over the file's bytes. */
function withPositions(file: WorkerFile, parsed: WorkerAnswer[number]): FileParse {
  const source = new FileSource(file.path, () => decodeText(file.bytes) ?? '');
  return {
    diagnostics: parsed.diagnostics,
    documents: parsed.documents.map((d) => ({ ...d, positions: new LazyPositions(source, d.index, d.pos) })),
  };
}
