import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../../ports/store.js';
import { describeTightened, makePrivateDir } from '../private-dir.js';
import { lockDir } from './dir-lock.js';
import type { LoadHint, Reply, Request, WireError } from './pglite-worker.js';
import type { SqlDriver } from './sql-driver.js';
import { normalizeParams, withSavepoint } from './sql-driver.js';

/** A request as the engine writes it: the id is added when it is sent. */
type Ask = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

/**
 * Opens PGlite on `<dir>/pgdata` (creating `dir` if missing) behind `<dir>/store.lock`, because
 * two processes writing one PGlite data dir corrupt it. PGlite runs on a thread of its own
 * (pglite-worker.ts says why). `dir` and everything in it are private to the engine's user
 * (0700/0600); a store that an earlier Ploy left readable by others is made so, and `onNotice`
 * is told. Throws StoreInUseError when another process holds the store, StoreUnavailableError
 * when PGlite cannot open it.
 */
export async function openPgliteDriver(
  dir: string,
  opts: { brief?: boolean; onNotice?: (message: string) => void } = {},
): Promise<SqlDriver> {
  const tightened = makePrivateDir(dir);
  if (tightened) opts.onNotice?.(describeTightened(tightened));
  const lock = lockDir(dir);
  const dataDir = path.join(dir, 'pgdata');
  const brief = opts.brief ?? false;
  const worker = spare ?? new StoreThread();
  spare = undefined;
  try {
    // A brief open (one CLI command) keeps its memory a second: it creates the store itself.
    if (!brief && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await createStore(dataDir);
    await worker.ask({ op: 'open', dataDir, brief });
  } catch (err) {
    await worker.end();
    lock.release();
    throw new StoreUnavailableError(`the embedded store at ${dir} could not be opened: ${messageOf(err)}`, {
      cause: err,
    });
  }
  let closed = false;
  return {
    ...statements(worker, undefined),
    async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
      const tx = (await worker.ask({ op: 'begin' })) as number;
      let result: T;
      try {
        result = await fn(inTransaction(worker, tx));
      } catch (err) {
        await worker.ask({ op: 'end', tx, commit: false });
        throw err;
      }
      await worker.ask({ op: 'end', tx, commit: true });
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await worker.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * Creates a new store on a thread of its own, which then ends. PGlite creates a data dir by
 * running initdb in a second PGlite instance, and the thread that did so keeps what that took
 * for as long as it runs: `ploy serve` that had created its store held ~700 MB resident, one
 * that opened an existing store ~250 MB. Ending the thread gives most of it back (~390 MB);
 * opening the new store again on a fresh thread costs ~0.5 s, once, beside the ~2.5 s that
 * creating it takes.
 */
async function createStore(dataDir: string): Promise<void> {
  const creator = new StoreThread();
  try {
    await creator.ask({ op: 'open', dataDir, brief: false });
  } catch (err) {
    await creator.end();
    throw err;
  }
  await creator.close();
}

/** A thread started ahead of the open that will use it (prestartStoreThread). */
let spare: StoreThread | undefined;

/**
 * Starts the embedded store's thread now, for an open that comes later in this process: a
 * thread's start (a Node environment, PGlite's code: ~0.1 s) then overlaps whatever the
 * process loads and reads before it opens the store. The next openPgliteDriver takes it.
 * The thread keeps nothing alive and holds no store until that open; discardStoreThread ends
 * it when the store turns out to be PostgreSQL.
 */
export function prestartStoreThread(): void {
  spare ??= new StoreThread();
}

/** Tells a thread prestartStoreThread started that the store will be opened: it loads PGlite now. */
export function warmStoreThread(opts: { brief: boolean }): void {
  spare?.hint({ op: 'load', brief: opts.brief });
}

/** Ends a thread prestartStoreThread started and no open took. */
export function discardStoreThread(): void {
  spare?.end().catch(() => undefined);
  spare = undefined;
}

function statements(worker: StoreThread, tx: number | undefined): Pick<SqlDriver, 'query' | 'exec'> {
  return {
    async query<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await worker.ask({ op: 'query', tx, text, params: normalizeParams(params) })) as T[];
    },
    async exec(text: string): Promise<void> {
      await worker.ask({ op: 'exec', tx, text });
    },
  };
}

// Inside a transaction its statements name it; one nested in it is a savepoint.
function inTransaction(worker: StoreThread, tx: number): SqlDriver {
  const driver: SqlDriver = {
    ...statements(worker, tx),
    transaction: <T>(fn: (inner: SqlDriver) => Promise<T>) => withSavepoint(driver, fn),
    async close() {},
  };
  return driver;
}

/**
 * The engine's end of the PGlite thread: requests by id, each answered once. The thread keeps
 * the process alive only while a request is waiting, as a socket would.
 */
class StoreThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private seq = 0;
  private gone: Error | undefined;
  private opened = false;

  constructor() {
    this.worker = new Worker(workerScript());
    this.worker.on('message', (r: Reply) => this.answer(r));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the embedded store's thread ended (exit code ${code})`)));
    // After the listeners: adding a 'message' listener refs the thread again, and a thread
    // started ahead (prestartStoreThread) for a command that never opens the store (--help, a
    // bad flag) would then keep the process from ending.
    this.worker.unref();
  }

  ask(req: Ask): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    if (req.op === 'open') this.opened = true;
    const id = ++this.seq;
    const answered = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.ref();
    this.worker.postMessage({ ...req, id });
    return answered;
  }

  /** A message that is not answered, and so keeps nothing waiting. */
  hint(h: LoadHint): void {
    if (!this.gone) this.worker.postMessage(h);
  }

  /** Closes the store if it is open, and ends the thread. */
  async close(): Promise<void> {
    if (!this.gone && this.opened) await this.ask({ op: 'close' });
    await this.end();
  }

  /** Ends the thread without closing anything: it holds no open store. */
  async end(): Promise<void> {
    await this.worker.terminate();
  }

  private answer(r: Reply): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (r.ok) w.resolve(r.value);
    else w.reject(fromWire(r.error));
  }

  /** The thread failed or ended: everything waiting, and everything asked from now on, fails. */
  private fail(err: Error): void {
    this.gone ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** The error as the engine's code expects it from a driver: message, `code`, `detail`, .... */
function fromWire(e: WireError): Error {
  return Object.assign(new Error(e.message), e.fields);
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The built worker script beside this module. Under vitest the engine runs from its TypeScript
 * sources, where there is none: it then runs the build of the same file (`npm test` builds first).
 */
function workerScript(): URL {
  const beside = new URL('./pglite-worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../../dist/engine/adapters/store/pglite-worker.js', import.meta.url);
}
