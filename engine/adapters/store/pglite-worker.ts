/**
 * The embedded store's own thread: PGlite runs here, and the engine talks to it by messages
 * (pglite-driver.ts). Why a thread: PGlite's start is about half a second of CPU on whichever
 * thread opens it (compiling its WASM, running postgres' startup), and every statement runs
 * synchronously there too. On this thread a CLI command reads and validates its source while
 * the store opens, and the engine's scheduler is not held up by a statement.
 *
 * The thread loads PGlite's code and compiles its WASM when told the store will be opened (a
 * load hint, or the open itself), not before: a CLI may start the thread before it knows
 * whether its config names the embedded store (pglite-driver.ts, prestartStoreThread), and a
 * thread it does not need then costs it little.
 */
import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { type MessagePort, parentPort } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PrivateNodeFS } from './private-node-fs.js';

/**
 * What the engine asks of this thread: first `open`, then statements; `tx` names an open
 * transaction (the id its begin answered). Each is answered once.
 */
export type Request =
  | { id: number; op: 'open'; dataDir: string; brief: boolean }
  | { id: number; op: 'query'; tx?: number; text: string; params: unknown[] }
  | { id: number; op: 'exec'; tx?: number; text: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/**
 * Not answered: the store will be opened soon (`brief` as the open will say), so the thread
 * loads PGlite now instead of when the open comes.
 */
export interface LoadHint {
  op: 'load';
  brief: boolean;
}

/** An error as it crosses threads: its message and its fields (`code`, `detail`, ...). */
export interface WireError {
  message: string;
  fields: Record<string, string | number>;
}

/** The answer to request `id`. */
export type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: WireError };

/**
 * Memory: PGlite's WASM heap starts at 128 MiB, which is also the least its module accepts
 * (a smaller `initialMemory` fails to link). What matters is postgres' shared_buffers, 128MB by
 * default: it does not fit that heap, so the heap grows (about 280 MB resident after open).
 * The engine's tables are small; 16MB of buffers brings an open store to about 170 MB.
 *
 * Start time: postgres zeroes its whole shared memory as it starts, and PGlite's memset runs
 * as baseline WASM at about 300 MB/s, so each MB of it is ~3 ms before the first statement.
 * A `brief` open (one CLI command, held about a second, a few thousand rows) takes 1MB of
 * buffers: 16MB would cost it ~50 ms. max_connections only sizes shared memory here (the lock
 * table, the process array): single-user PGlite never runs a second backend, and 100 slots
 * cost ~15 ms of zeroing on every open. The lock table keeps room for 64 locks per slot.
 * The rest of PGlite's default start parameters are kept as they are.
 */
function pgliteOptions(defaultStartParams: readonly string[], brief: boolean) {
  return {
    initialMemory: 128 * 1024 * 1024,
    startParams: [
      ...defaultStartParams,
      ...['-c', `shared_buffers=${brief ? '1MB' : '16MB'}`],
      ...['-c', 'max_connections=2', '-c', 'superuser_reserved_connections=0', '-c', 'reserved_connections=0'],
    ],
  };
}

/** An open transaction: its handle, and how to end it (commit or roll back). */
interface OpenTx {
  tx: Transaction;
  end(commit: boolean): Promise<void>;
}

if (!parentPort) throw new Error('pglite-worker.js runs as a worker thread of the engine');
const port: MessagePort = parentPort;
const reply = (r: Reply) => port.postMessage(r);
const failed = (id: number, err: unknown) => reply({ id, ok: false, error: toWire(err) });

function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { message: String(err), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err)) if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  return { message: err.message, fields };
}

const openTxs = new Map<number, OpenTx>();

/** PGlite's code, its compiled WASM module and its file bundle (the files PGlite would load itself). */
async function loadPglite(): Promise<{
  PGlite: typeof PGlite;
  PrivateNodeFS: typeof PrivateNodeFS;
  assets: { pgliteWasmModule: WebAssembly.Module; fsBundle: Blob };
}> {
  const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
  const [{ PGlite }, { PrivateNodeFS }, pgliteWasmModule, fsBundle] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./private-node-fs.js'),
    readFile(new URL('pglite.wasm', dist)).then((bytes) => WebAssembly.compile(bytes)),
    openAsBlob(new URL('pglite.data', dist)),
  ]);
  return { PGlite, PrivateNodeFS, assets: { pgliteWasmModule, fsBundle } };
}

let loading: ReturnType<typeof loadPglite> | undefined;
/** PGlite loaded once, by the load hint or by the open, whichever comes first. */
function load(brief: boolean): ReturnType<typeof loadPglite> {
  // By default V8 also recompiles PGlite's hot WASM functions with its optimising compiler on
  // background threads: ~0.7 s of CPU taken from a CLI command's own work on a small machine,
  // for code it hardly runs again, and its first statement stalls ~0.2 s on it. Baseline code
  // is enough for a store held a second; `ploy serve` keeps both tiers: it runs for days.
  // Set here, as late as it can be: a V8 flag changed at run time is process-wide, and on Node
  // 20 a thread started after such a change takes ~50 ms longer to start (measured on a
  // 2-CPU VM: 30 ms → 80 ms for a thread that loads PGlite's code).
  if (!loading && brief) setFlagsFromString('--liftoff-only');
  return (loading ??= loadPglite());
}

let db: PGlite | undefined;

port.on('message', (req: Request | LoadHint) => {
  if (req.op === 'load') {
    load(req.brief).catch(() => undefined); // reported by the open
    return;
  }
  (async () => (req.op === 'open' ? openDb(req.dataDir, req.brief) : handle(ready(db), req)))()
    .then(
      (value) => reply({ id: req.id, ok: true, value }),
      (err) => failed(req.id, err),
    )
    // Once closed and answered, the thread ends; so does one whose store could not open.
    .finally(() => (req.op === 'close' || (req.op === 'open' && !db)) && port.close());
});

async function openDb(dataDir: string, brief: boolean): Promise<undefined> {
  const { PGlite, PrivateNodeFS, assets } = await load(brief);
  // The store's files are private to the engine's user, whatever the umask (private-node-fs.ts).
  const fs = new PrivateNodeFS(dataDir);
  db = await PGlite.create({ fs, ...assets, ...pgliteOptions(PGlite.defaultStartParams, brief) });
  return undefined;
}

function ready(d: PGlite | undefined): PGlite {
  if (!d) throw new Error('the embedded store is not open');
  return d;
}

async function handle(db: PGlite, req: Request): Promise<unknown> {
  switch (req.op) {
    case 'query':
      return (await on(db, req.tx).query(req.text, req.params)).rows;
    case 'exec':
      await on(db, req.tx).exec(req.text);
      return undefined;
    case 'begin':
      return begin(db);
    case 'end': {
      const t = openTxs.get(req.tx);
      if (!t) throw new Error(`transaction ${req.tx} is not open`);
      openTxs.delete(req.tx);
      return t.end(req.commit);
    }
    case 'close':
      await db.close();
      return undefined;
  }
}

function on(db: PGlite, tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return db;
  const t = openTxs.get(tx);
  if (!t) throw new Error(`transaction ${tx} is not open`);
  return t.tx;
}

let txSeq = 0;

/**
 * Opens a transaction and answers its id once it has begun. PGlite runs a transaction as a
 * callback holding its lock; the callback here waits for the engine's `end`, so statements
 * outside the transaction queue behind it exactly as they do in PGlite itself.
 */
function begin(db: PGlite): Promise<number> {
  const id = ++txSeq;
  return new Promise((begun, notBegun) => {
    let decide!: (commit: boolean) => void;
    const decided = new Promise<boolean>((r) => (decide = r));
    let started = false;
    const finished = db.transaction(async (tx) => {
      started = true;
      openTxs.set(id, {
        tx,
        end: (commit) => {
          decide(commit);
          return finished;
        },
      });
      begun(id);
      if (!(await decided)) await tx.rollback();
    });
    finished.catch((err) => {
      if (!started) notBegun(err);
    });
  });
}
