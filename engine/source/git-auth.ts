import type { GitAuth } from 'isomorphic-git';
import type { GitSourceConfig, Secretish } from '../config/types.js';

type Auth = GitSourceConfig['auth'];

const reveal = (v: Secretish | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : v.reveal();

/**
 * Basic-auth credentials for `source.git.auth`, or undefined when none is configured. Call it
 * only where isomorphic-git asks for them: it reveals the secrets. A token alone goes in the
 * password with the user name the host expects (see tokenUser); `username` overrides that name.
 */
export function credentials(url: string, auth: Auth): GitAuth | undefined {
  const token = reveal(auth?.token);
  if (token) return { username: auth?.username ?? tokenUser(url), password: token };
  if (auth?.username !== undefined || auth?.password !== undefined)
    return { username: auth.username ?? '', password: reveal(auth.password) ?? '' };
  return undefined;
}

/**
 * The user name each host expects beside an access token: GitHub `x-access-token` (personal,
 * fine-grained and app tokens alike), Bitbucket Cloud `x-token-auth`, otherwise GitLab's
 * `oauth2`, which Gitea, Forgejo and Azure DevOps accept too (they read the token from the password).
 */
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

/** Every secret an error message must not contain (the configured ones, and a password in the URL). */
export function secretsOf(url: string, auth: Auth): string[] {
  let urlPassword = '';
  try {
    urlPassword = decodeURIComponent(new URL(url).password);
  } catch {
    // not a URL: nothing embedded to hide
  }
  return [reveal(auth?.token), reveal(auth?.password), urlPassword].filter((s): s is string => Boolean(s));
}
