import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isSensitive, type Sensitive } from '../model/sensitive.js';

/** Request headers by lower-case name, as Node's `IncomingMessage.headers` gives them. */
export type WebhookHeaders = Record<string, string | undefined>;

/** Which git host sent a delivery, by the header that authenticated it. Forgejo counts as Gitea. */
export type GitProvider = 'github' | 'gitlab' | 'gitea' | 'gogs';

/** The outcome of checking a delivery's signature or token against the configured secret. */
export type VerifyResult = { ok: true; provider: GitProvider } | { ok: false; reason: string };

/** A secret as the config holds it: a plain string, or a {@link Sensitive} that is revealed only here. */
export type SecretValue = string | Sensitive;

/** A header's value whatever the case of its name; `''` when sent empty, undefined when absent. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** The secret's text, or undefined when none is configured (absent or empty). */
export function revealSecret(secret: SecretValue | undefined): string | undefined {
  const text = isSensitive(secret) ? secret.reveal() : secret;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether two strings are equal, in time that depends on neither's content nor length: both are
 * hashed first, so `timingSafeEqual` always compares two 32-byte digests.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Checks a hex HMAC-SHA256 of the body; `label` names the header in the reason. */
function checkHmac(label: string, hex: string, rawBody: Buffer, secret: string): string | undefined {
  if (hex === '') return `${label} is empty: set the same secret in the git host's webhook settings`;
  if (!HEX_SHA256.test(hex)) return `${label} is not a hex HMAC-SHA256`;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected) ? undefined : `${label} does not match the body`;
}

/**
 * Verifies that a `POST /hooks/git` delivery was sent by a git host that knows `secret`.
 *
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
 * - Gitea / Forgejo: `X-Gitea-Signature` / `X-Forgejo-Signature: <hex HMAC-SHA256>`; they also
 *   send `X-Hub-Signature-256`, which is accepted when it is the only signature.
 * - Gogs: `X-Gogs-Signature: <hex HMAC-SHA256>`.
 * - GitLab: `X-Gitlab-Token: <the secret itself>` (GitLab does not sign the body).
 *
 * The first signature header present decides (in the order above, Gitea's own first); a wrong
 * one is never rescued by another. Every comparison is constant-time; a missing, empty,
 * malformed or wrong value, or an empty secret, is refused.
 */
export function verifyGitWebhook(headers: WebhookHeaders, rawBody: Buffer, secret: string): VerifyResult {
  if (secret === '') return { ok: false, reason: 'no webhook secret is configured' };
  const get = (name: string) => headerValue(headers, name);
  const verdict = (provider: GitProvider, failure: string | undefined): VerifyResult =>
    failure === undefined ? { ok: true, provider } : { ok: false, reason: failure };

  const gitea = get('x-gitea-signature');
  if (gitea !== undefined) return verdict('gitea', checkHmac('X-Gitea-Signature', gitea, rawBody, secret));
  const forgejo = get('x-forgejo-signature');
  if (forgejo !== undefined) return verdict('gitea', checkHmac('X-Forgejo-Signature', forgejo, rawBody, secret));
  const gogs = get('x-gogs-signature');
  if (gogs !== undefined) return verdict('gogs', checkHmac('X-Gogs-Signature', gogs, rawBody, secret));

  const hub = get('x-hub-signature-256');
  if (hub !== undefined) {
    const fromGitea = get('x-gitea-event') !== undefined || get('x-forgejo-event') !== undefined;
    const match = /^sha256=(.*)$/i.exec(hub);
    const failure = match
      ? checkHmac('X-Hub-Signature-256', match[1]!, rawBody, secret)
      : 'X-Hub-Signature-256 does not start with "sha256="';
    return verdict(fromGitea ? 'gitea' : 'github', failure);
  }

  const token = get('x-gitlab-token');
  if (token !== undefined) {
    return verdict('gitlab', sameSecret(token, secret) ? undefined : 'X-Gitlab-Token does not match the secret');
  }

  if (get('x-hub-signature') !== undefined) {
    return { ok: false, reason: 'only the SHA-1 X-Hub-Signature was sent; X-Hub-Signature-256 is required' };
  }
  return {
    ok: false,
    reason: 'no X-Hub-Signature-256, X-Gitea-Signature, X-Gogs-Signature or X-Gitlab-Token header',
  };
}

/**
 * Whether the request carries `Authorization: Bearer <token>` for the configured API token
 * (`POST /hooks/sync`). Constant-time; with no token configured it is always false, since a
 * sync must be authorized.
 */
export function checkBearer(headers: WebhookHeaders, token: SecretValue | undefined): boolean {
  const expected = revealSecret(token);
  if (expected === undefined) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headerValue(headers, 'authorization') ?? '');
  // Compare even when the header is malformed, so a missing token costs the same as a wrong one.
  const equal = sameSecret(match?.[1] ?? '', expected);
  return match !== null && equal;
}
