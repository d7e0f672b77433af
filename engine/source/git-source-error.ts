import { scrubSecrets } from '../model/sensitive.js';
/** Why a git source could not be read; stable, so callers and tests can match on it. */
export type GitSourceErrorKind =
  | 'auth'
  | 'repo-not-found'
  | 'ref-not-found'
  | 'empty-repository'
  | 'unreachable'
  | 'not-a-git-server'
  | 'bad-url'
  | 'timeout'
  | 'missing-commit'
  | 'failed';

/**
 * A git source fault (wrong URL, credentials or ref, server down, timeout). The message names
 * the URL without credentials and never contains a password or token: it ends up in logs,
 * `sync.failed` events and the UI.
 */
export class GitSourceError extends Error {
  override readonly name = 'GitSourceError';
  readonly kind: GitSourceErrorKind;
  /** The repository URL with any embedded credentials removed. */
  readonly url: string;

  constructor(kind: GitSourceErrorKind, message: string, url: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.url = url;
  }
}

/** The URL as it may be shown: user name and password removed. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

interface Context {
  url: string;
  ref: string;
  /** Whether credentials were configured (a 401 then means they are wrong, not missing). */
  hasAuth: boolean;
  /** Values that must never appear in a message. */
  secrets: readonly string[];
}

/**
 * Turns whatever isomorphic-git or Node threw into a GitSourceError with a sentence a person
 * can act on. The original error is kept as `cause` only when it holds none of the secrets.
 */
export function toGitSourceError(err: unknown, ctx: Context): GitSourceError {
  if (err instanceof GitSourceError) return err;
  const e = (err ?? {}) as { code?: string; message?: string; data?: { statusCode?: number; what?: string } };
  const url = displayUrl(ctx.url);
  const detail = scrub(String(e.message ?? err), ctx.secrets);
  const cause = detail === String(e.message ?? err) ? err : new Error(detail);
  const make = (kind: GitSourceErrorKind, message: string) => new GitSourceError(kind, message, url, cause);
  switch (e.code) {
    case 'HttpError': {
      const status = e.data?.statusCode;
      if (status === 401 || status === 403)
        return make(
          'auth',
          ctx.hasAuth
            ? `${url} rejected the configured credentials (HTTP ${status}); check source.git.auth.`
            : `${url} requires credentials (HTTP ${status}); set source.git.auth (token, or username and password).`,
        );
      if (status === 404) return make('repo-not-found', `No git repository at ${url} (HTTP 404); check source.git.url.`);
      return make('failed', `${url} answered HTTP ${status ?? '?'} to a fetch.`);
    }
    case 'NotFoundError':
      if (e.data?.what === ctx.ref)
        return make('ref-not-found', `${url} has no branch or tag "${ctx.ref}"; check source.git.ref.`);
      return make('failed', `Fetching ${url} failed: ${detail}`);
    case 'SmartHttpError':
      return make('not-a-git-server', `${url} did not answer like a git smart-HTTP server; check source.git.url.`);
    case 'UrlParseError':
    case 'UnknownTransportError':
      return make('bad-url', `${url} is not an http(s) git URL; check source.git.url.`);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return make('unreachable', `Cannot reach ${url} (${e.code}).`);
    default:
      return make('failed', `Fetching ${url} failed: ${detail}`);
  }
}

/** Replaces every secret (and its URL-encoded form) in a text with `***`, as in a URL's password. */
export function scrub(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secrets, '***');
}
