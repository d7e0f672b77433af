import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import git, { type GitAuth, type HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import type { GitSourceConfig, Secretish } from '../config/types.js';
import type { Snapshot } from '../load/snapshot.js';
import { type Diagnostic, error } from '../validate/diagnostic.js';
import { type CommitInfo, readCommitSnapshot } from './git-snapshot.js';
import { displayUrl, GitSourceError, toGitSourceError } from './git-source-error.js';

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
  /** Parent folder of the local clones (e.g. `.ploy/git`); a URL's clone is `<cacheDir>/<hash of url>`. */
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

/** Written after each complete fetch; isomorphic-git offers its commit as a "have", so fetches stay incremental. */
const FETCHED_REF = 'refs/ploy/fetched';

/**
 * A remote git repository followed through a local clone that has no working tree: every
 * snapshot is read from one immutable commit in git's object store.
 *
 * Fetches run one at a time. Each is bounded by `timeoutMs`: its sockets are aborted and the
 * caller gets a `timeout` error. isomorphic-git itself cannot be cancelled, so in the rare case it
 * hangs on a socket that never reports its end, that abandoned promise lingers — it never blocks
 * the next fetch. Objects are never removed from the clone, so older snapshots stay readable.
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
    const hash = createHash('sha256').update(this.displayUrl).digest('hex').slice(0, 16);
    this.repoDir = join(opts.cacheDir, hash);
  }

  /** Fetches the ref (cloning on first use) and resolves it to a commit; tags are peeled. */
  fetch(): Promise<FetchResult> {
    const run = this.#queue.then(() => this.#fetchOnce());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The resource files below `dir` in commit `oid`, which must have been fetched. */
  async snapshot(
    oid: string,
  ): Promise<{ snapshot: Snapshot; commit: CommitInfo; diagnostics: Diagnostic[] }> {
    const result = await readCommitSnapshot(this.repoDir, oid, this.#subdir).catch((e: unknown) => {
      throw this.#missing(oid, e);
    });
    if (result.snapshot.files.length === 0 && this.#subdir && !(await this.#hasDir(oid))) {
      const at = { file: '.', line: 1, column: 1 };
      const message = `source.git.dir "${this.#subdir}" does not exist in commit ${oid.slice(0, 7)} of ${this.displayUrl}.`;
      result.diagnostics.push(error('config', message, at));
    }
    return result;
  }

  /** Paths (relative to `dir`, sorted) of files added, changed or deleted between two fetched commits. */
  async changedFiles(fromOid: string, toOid: string): Promise<string[]> {
    const prefix = this.#subdir ? `${this.#subdir}/` : '';
    const changed: string[] = [];
    try {
      await git.walk({
        fs,
        dir: this.repoDir,
        trees: [git.TREE({ ref: fromOid }), git.TREE({ ref: toOid })],
        map: async (path, [a, b]) => {
          if (path === '.') return true;
          // Prune folders outside `dir`, and whole subtrees that did not change.
          if (!`${path}/`.startsWith(prefix) && !prefix.startsWith(`${path}/`)) return null;
          if (a && b && (await a.oid()) === (await b.oid())) return null;
          const [ta, tb] = [await a?.type(), await b?.type()];
          if (path.length >= prefix.length && (ta === 'blob' || tb === 'blob'))
            changed.push(path.slice(prefix.length));
          return ta === 'tree' || tb === 'tree' ? true : null;
        },
      });
    } catch (e) {
      throw this.#missing(`${fromOid} or ${toOid}`, e);
    }
    return changed.sort();
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
      throw toGitSourceError(e, {
        url: this.#opts.url,
        ref: this.#opts.ref,
        hasAuth: Boolean(this.#opts.auth?.token || this.#opts.auth?.username || this.#opts.auth?.password),
        secrets: this.#secrets(),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async #download(signal: AbortSignal): Promise<string> {
    const dir = this.repoDir;
    await mkdir(dir, { recursive: true });
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
      onAuth: () => credentials(this.#opts),
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
    throw new GitSourceError(
      'failed',
      `${this.#opts.ref} in ${this.displayUrl} does not point at a commit.`,
      this.displayUrl,
    );
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

  /** For scrubbing error messages only; never stored. */
  #secrets(): string[] {
    const auth = this.#opts.auth;
    let urlPassword = '';
    try {
      urlPassword = decodeURIComponent(new URL(this.#opts.url).password);
    } catch {
      // not a URL: nothing embedded to hide
    }
    return [reveal(auth?.token), reveal(auth?.password), urlPassword].filter((s): s is string => Boolean(s));
  }
}

const reveal = (v: Secretish | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : v.reveal();

/** Basic-auth credentials for the configured auth, or undefined when none is configured. */
function credentials({ url, auth }: GitSourceOptions): GitAuth | undefined {
  const token = reveal(auth?.token);
  if (token) return { username: auth?.username ?? tokenUser(url), password: token };
  if (auth?.username !== undefined || auth?.password !== undefined)
    return { username: auth.username ?? '', password: reveal(auth.password) ?? '' };
  return undefined;
}

/** The user name each host expects beside an access token in basic auth. */
function tokenUser(url: string): string {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // an invalid URL fails in fetch with a clearer message
  }
  if (host === 'github.com' || host.endsWith('.ghe.com')) return 'x-access-token';
  if (host === 'bitbucket.org') return 'x-token-auth';
  return 'oauth2';
}
