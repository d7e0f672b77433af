import git, { type HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import type { GitSourceConfig } from '../config/types.js';
import { credentials, secretsOf } from './git-auth.js';
import { displayUrl, GitSourceError, toGitSourceError } from './git-source-error.js';

/** What the remote says of the followed ref. */
export interface GitProbe {
  /** The URL without credentials. */
  url: string;
  /** The full name of the ref found, e.g. `refs/heads/main`. */
  ref: string;
  oid: string;
}

/**
 * Asks the remote for its refs (one ref discovery, no download) with the configured
 * credentials: whether the repository is reachable, the credentials accepted, and `ref` there.
 * Throws GitSourceError with a sentence a person can act on; `signal` aborts the request.
 */
export async function probeGitSource(source: GitSourceConfig, signal: AbortSignal): Promise<GitProbe> {
  const url = displayUrl(source.url);
  const ctx = {
    url: source.url,
    ref: source.ref,
    hasAuth: Boolean(source.auth?.token || source.auth?.username || source.auth?.password) || url !== source.url,
    secrets: secretsOf(source.url, source.auth),
  };
  const http: HttpClient = { request: (req) => nodeHttp.request({ ...req, signal }) };
  let refs: Array<{ ref: string; oid: string }>;
  try {
    refs = await git.listServerRefs({
      http,
      url: source.url,
      // Revealed only here, at the moment isomorphic-git sends them.
      onAuth: () => credentials(source.url, source.auth),
    });
  } catch (e) {
    throw toGitSourceError(e, ctx);
  }
  const wanted = [source.ref, `refs/heads/${source.ref}`, `refs/tags/${source.ref}`];
  const found = wanted.map((name) => refs.find((r) => r.ref === name)).find((r) => r !== undefined);
  if (!found) {
    if (refs.length === 0) throw new GitSourceError('empty-repository', `${url} has no commits yet.`, url);
    throw new GitSourceError('ref-not-found', `${url} has no branch or tag "${source.ref}"; check source.git.ref.`, url);
  }
  return { url, ref: found.ref, oid: found.oid };
}
