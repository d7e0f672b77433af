import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import git, { type HttpClient, type WalkerEntry } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import type { GitSourceConfig } from '../config/types.js';
import type { Snapshot } from '../load/snapshot.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { credentials, secretsOf } from './git-auth.js';
import { type CommitInfo, readCommitSnapshot } from './git-snapshot.js';
import { displayUrl, GitSourceError, toGitSourceError } from './git-source-error.js';
// Everything the clone writes is private to the engine's user (private-fs.ts).
import { privateFs as fs } from './private-fs.js';

export { GitSourceError, type GitSourceErrorKind } from './git-source-error.js';

/** Where a GitSource reads from, and where it keeps its local clone. */
export interface GitSourceOptions {
  /** http(s) URL of the repository. */
  url: string;
  /** Branch or tag to follow (`main`, `v1.2`, `refs/heads/main`). */
  ref: string;
  /** Folder of the repository holding the resources; `.` for its root. */
  dir: string;
  /**
   * `token` alone is sent as the password with the user name the host expects (GitHub
   * `x-access-token`, Bitbucket `x-token-auth`, otherwise GitLab's `oauth2`, which Gitea and
   * Azure DevOps accept too); `username` beside it overrides that name.
   */
  auth?: GitSourceConfig['auth'];
  /** Parent folder of local clones (e.g. `.ploy/git`); this source's is `<cacheDir>/<hash of url and ref>`. */
  cacheDir: string;
  /** How long one fetch may take before it is abandoned; default 60 s. */
  timeoutMs?: number;
  /** Commits of history fetched each time; default 1, since only whole commits are read. */
  depth?: number;
}

/** The commit the ref points at after a fetch, and whether it differs from this source's previous fetch. */
export interface FetchResult {
  oid: string;
  changed: boolean;
}

/** One commit's resource files, who made it, and problems reading them. */
export type GitSnapshot = { snapshot: Snapshot; commit: CommitInfo; diagnostics: Diagnostic[] };

/** Written after each complete fetch; isomorphic-git offers its commit as a "have", so fetches stay incremental. */
const FETCHED_REF = 'refs/ploy/fetched';

/**
 * A remote git repository followed through a local clone that has no working tree: every
 * snapshot is read from one immutable commit in git's object store. Objects are never removed
 * from the clone, so the snapshot of an older fetched commit stays readable.
 *
 * Fetches and reads run one at a time. A fetch (ref discovery, pack download and indexing
 * together) is bounded by `timeoutMs`, so a first clone over a slow link must fit in it too. On
 * timeout its sockets are aborted and the caller gets a `timeout` error. isomorphic-git's fetch
 * itself cannot be cancelled: the abandoned call usually fails at once on the aborted socket, but
 * it may also linger (or, if the abort came while it was indexing, finish writing its pack
 * while the next operation runs). It never holds up the next fetch.
 */
export class GitSource {
  /** The local clone (a `.git` folder inside it; nothing is ever checked out). */
  readonly repoDir: string;
  /** The URL without credentials, for messages. */
  readonly displayUrl: string;
  readonly #opts: GitSourceOptions;
  readonly #subdir: string;
  #last: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: GitSourceOptions) {
    this.#opts = opts;
    this.displayUrl = displayUrl(opts.url);
    this.#subdir = opts.dir
      .replace(/^(\.\/)+/, '')
      .replace(/\/+$/, '')
      .replace(/^\.$/, '');
    // One clone per URL and ref: two sources never write the same clone.
    const hash = createHash('sha256').update(`${this.displayUrl}\0${opts.ref}`).digest('hex').slice(0, 16);
    this.repoDir = join(opts.cacheDir, hash);
  }

  /** Fetches the ref (cloning on first use) and resolves it to a commit; tags are peeled. */
  fetch(): Promise<FetchResult> {
    return this.#exclusive(() => this.#fetchOnce());
  }

  /** The resource files below `dir` in commit `oid`, which must have been fetched. */
  snapshot(oid: string): Promise<GitSnapshot> {
    return this.#exclusive(async () => {
      const result = await readCommitSnapshot(this.repoDir, oid, this.#subdir).catch((e: unknown) => {
        throw this.#missing(oid, e);
      });
      if (result.snapshot.files.length === 0 && this.#subdir && !(await this.#hasDir(oid))) {
        const message = `source.git.dir "${this.#subdir}" does not exist in commit ${oid.slice(0, 7)} of ${this.displayUrl}.`;
        result.diagnostics.push(error('config', message, { file: '.', line: 1, column: 1 }));
      }
      return result;
    });
  }

  /** Paths (relative to `dir`, sorted) of files added, changed or deleted between two fetched commits. */
  changedFiles(fromOid: string, toOid: string): Promise<string[]> {
    const prefix = this.#subdir ? `${this.#subdir}/` : '';
    const changed: string[] = [];
    const map = async (path: string, [a, b]: Array<WalkerEntry | null>) => {
      if (path === '.') return true;
      // Prune folders outside `dir`, and whole subtrees that did not change.
      if (!`${path}/`.startsWith(prefix) && !prefix.startsWith(`${path}/`)) return null;
      if (a && b && (await a.oid()) === (await b.oid())) return null;
      const [ta, tb] = [await a?.type(), await b?.type()];
      if (path.length >= prefix.length && (ta === 'blob' || tb === 'blob')) changed.push(path.slice(prefix.length));
      return ta === 'tree' || tb === 'tree' ? true : null;
    };
    return this.#exclusive(async () => {
      const trees = [git.TREE({ ref: fromOid }), git.TREE({ ref: toOid })];
      await git.walk({ fs, dir: this.repoDir, trees, map }).catch((e: unknown) => {
        throw this.#missing(`${fromOid} or ${toOid}`, e);
      });
      return changed.sort();
    });
  }

  /**
   * Runs operations on the clone one at a time: isomorphic-git writes a pack index in place,
   * and a read that meets a half-written one fails. A read waits behind a fetch at most its timeout.
   */
  #exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #fetchOnce(): Promise<FetchResult> {
    const controller = new AbortController();
    const download = this.#download(controller.signal);
    // After a timeout nobody awaits it any more; its late failure is expected, not unhandled.
    download.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const ms = this.#opts.timeoutMs ?? 60_000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        const message = `Fetching ${this.#opts.ref} from ${this.displayUrl} did not finish within ${ms / 1000} s and was abandoned.`;
        reject(new GitSourceError('timeout', message, this.displayUrl));
      }, ms);
    });
    try {
      const oid = await Promise.race([download, timeout]);
      const changed = oid !== this.#last;
      this.#last = oid;
      return { oid, changed };
    } catch (e) {
      const { url, auth, ref } = this.#opts;
      throw toGitSourceError(e, {
        url,
        ref,
        hasAuth: Boolean(auth?.token || auth?.username || auth?.password) || this.displayUrl !== url,
        secrets: secretsOf(url, auth),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async #download(signal: AbortSignal): Promise<string> {
    const dir = this.repoDir;
    // 0700 for each folder it creates, `.ploy` included when it is the first.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await git.init({ fs, dir }); // does nothing when the clone exists
    // fetch needs a remote's refspec; the stored URL has no credentials (fetch is given the real one).
    await git.addRemote({ fs, dir, remote: 'origin', url: this.displayUrl, force: true });
    // isomorphic-git's fetch takes no AbortSignal, but its Node client passes one to http.request.
    const http: HttpClient = { request: (req) => nodeHttp.request({ ...req, signal }) };
    const result = await git.fetch({
      fs,
      http,
      dir,
      url: this.#opts.url,
      ref: FETCHED_REF,
      remoteRef: this.#opts.ref,
      singleBranch: true,
      tags: false,
      depth: this.#opts.depth ?? 1,
      // Revealed only here, at the moment isomorphic-git sends it.
      onAuth: () => credentials(this.#opts.url, this.#opts.auth),
    });
    if (!result.fetchHead) {
      throw new GitSourceError('empty-repository', `${this.displayUrl} has no commits yet.`, this.displayUrl);
    }
    const oid = await this.#peel(result.fetchHead);
    await git.writeRef({ fs, dir, ref: FETCHED_REF, value: oid, force: true });
    return oid;
  }

  /** An annotated tag points at a tag object; the snapshot needs the commit behind it. */
  async #peel(oid: string): Promise<string> {
    for (let i = 0; i < 10; i++) {
      const { type, object } = await git.readObject({ fs, dir: this.repoDir, oid });
      if (type === 'commit') return oid;
      if (type !== 'tag') break;
      oid = (object as { object: string }).object;
    }
    throw new GitSourceError('failed', `${this.#opts.ref} in ${this.displayUrl} does not point at a commit.`, this.displayUrl);
  }

  async #hasDir(oid: string): Promise<boolean> {
    return git.readTree({ fs, dir: this.repoDir, oid, filepath: this.#subdir }).then(
      () => true,
      () => false,
    );
  }

  #missing(what: string, cause: unknown): GitSourceError {
    const message = `Commit ${what} is not in the local clone of ${this.displayUrl}; fetch it first.`;
    return new GitSourceError('missing-commit', message, this.displayUrl, cause);
  }
}
