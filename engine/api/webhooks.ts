import { matchesSource, parsePushEvent } from './push-event.js';
import { deliveryId, type DeliveryLog } from './webhook-replay.js';
import { headerValue, revealSecret, type SecretValue, verifyGitWebhook, type WebhookHeaders } from './webhook-signature.js';

export { type GitEvent, matchesSource, type PushEvent, parsePushEvent } from './push-event.js';
export { deliveryId, type DeliveryLog, deliveryLog } from './webhook-replay.js';
export {
  checkBearer,
  type GitProvider,
  type SecretValue,
  type VerifyResult,
  verifyGitWebhook,
  type WebhookHeaders,
} from './webhook-signature.js';

/** The largest `POST /hooks/git` body accepted (5 MiB); the server may stop reading past it. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

/** What `POST /hooks/git` answers, and whether the engine should fetch the source now. */
export interface GitHookResponse {
  status: number;
  body: object;
  fetch: boolean;
  /** Why a delivery was refused, for the engine's log only: a 401 body says nothing about why. */
  reason?: string;
}

/** A body as JSON, or as the `payload` field of a form-encoded delivery (GitHub's other content type). */
function parseBody(headers: WebhookHeaders, rawBody: Buffer): { ok: true; value: unknown } | { ok: false } {
  let json = rawBody.toString('utf8');
  if (/^application\/x-www-form-urlencoded\b/i.test(headerValue(headers, 'content-type') ?? '')) {
    const payload = new URLSearchParams(json).get('payload');
    if (payload === null) return { ok: false };
    json = payload;
  }
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false };
  }
}

/**
 * Decides a `POST /hooks/git` delivery, without side effects:
 *
 * - no `webhook.secret` configured → 403 (webhooks are off);
 * - body over {@link MAX_WEBHOOK_BODY_BYTES} → 413;
 * - signature or token wrong, missing or malformed → 401, the same body whatever the cause;
 * - a delivery id seen before (a replay; GitHub `X-GitHub-Delivery`, Gitea/Forgejo/Gogs
 *   `X-*-Delivery`, GitLab `X-Gitlab-Event-UUID`) → 200 `{ignored: "replayed delivery"}`;
 * - body not JSON (or a push without a ref) → 400;
 * - GitHub `ping` → 200;
 * - a push to the source's ref, or any push when the source is a local directory
 *   (`sourceRef` undefined) → 202 with `fetch: true`;
 * - a push to another ref, the deletion of the source's ref, or any other event → 202
 *   `{ignored}` with `fetch: false`.
 *
 * Only `fetch: true` should change anything; no response ever contains the secret or a header
 * value. The one side effect: a verified delivery's id is remembered in `opts.deliveries`.
 */
export function handleGitHook(
  req: { headers: WebhookHeaders; rawBody: Buffer },
  opts: { secret: SecretValue | undefined; sourceRef: string | undefined; deliveries?: DeliveryLog },
): GitHookResponse {
  const secret = revealSecret(opts.secret);
  if (secret === undefined) {
    return {
      status: 403,
      body: {
        error: 'webhooks are disabled: set webhook.secret in ploy.config.yaml to accept POST /hooks/git',
      },
      fetch: false,
    };
  }
  if (req.rawBody.length > MAX_WEBHOOK_BODY_BYTES) {
    return {
      status: 413,
      body: {
        error: `payload of ${req.rawBody.length} bytes is over the ${MAX_WEBHOOK_BODY_BYTES}-byte limit`,
      },
      fetch: false,
    };
  }
  const verified = verifyGitWebhook(req.headers, req.rawBody, secret);
  if (!verified.ok) {
    return { status: 401, body: { error: 'webhook not authenticated' }, fetch: false, reason: verified.reason };
  }
  const { provider } = verified;
  const id = deliveryId(req.headers);
  if (id !== undefined && opts.deliveries?.seen(id)) {
    return { status: 200, body: { ignored: 'replayed delivery', provider }, fetch: false };
  }
  const parsed = parseBody(req.headers, req.rawBody);
  if (!parsed.ok) return { status: 400, body: { error: 'body is not valid JSON', provider }, fetch: false };

  const event = parsePushEvent(req.headers, parsed.value);
  switch (event.kind) {
    case 'invalid':
      return { status: 400, body: { error: event.reason, provider }, fetch: false };
    case 'ping':
      return { status: 200, body: { ok: true, event: 'ping', provider }, fetch: false };
    case 'other':
      return {
        status: 202,
        body: { ignored: `${event.event} events do not change the source`, provider },
        fetch: false,
      };
  }

  const summary = { provider, ref: event.ref, ...(event.after ? { after: event.after } : {}) };
  if (opts.sourceRef === undefined) {
    return {
      status: 202,
      body: { accepted: true, reason: 'the source is a local directory', ...summary },
      fetch: true,
    };
  }
  if (!matchesSource(event, opts.sourceRef)) {
    return {
      status: 202,
      body: { ignored: `push to ${event.ref} does not concern the source ref ${opts.sourceRef}`, ...summary },
      fetch: false,
    };
  }
  if (event.deleted) {
    return {
      status: 202,
      body: { ignored: `${event.ref} was deleted; the last good revision stays`, ...summary },
      fetch: false,
    };
  }
  return { status: 202, body: { accepted: true, ...summary }, fetch: true };
}
