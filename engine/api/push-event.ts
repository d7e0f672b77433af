import { headerValue, type WebhookHeaders } from './webhook-signature.js';

/** A push to one ref, in the fields every git host sends. */
export interface PushEvent {
  kind: 'push';
  /** The full ref, e.g. `refs/heads/main` or `refs/tags/v1`. */
  ref: string;
  /** The branch name when `ref` is under `refs/heads/` (may contain `/`). */
  branch?: string;
  /** The tag name when `ref` is under `refs/tags/`. */
  tag?: string;
  /** The commit the ref points to after the push. */
  after?: string;
  /** `owner/name` (GitHub, Gitea, Gogs) or `group/project` (GitLab). */
  repository?: string;
  /** The repository's default branch, when the payload names it (to match a source ref of `HEAD`). */
  defaultBranch?: string;
  /** True when the push deleted the ref. */
  deleted?: boolean;
}

/** What a delivery is about, from its event header and body. */
export type GitEvent = PushEvent | { kind: 'ping' } | { kind: 'other'; event: string } | { kind: 'invalid'; reason: string };

const ZERO_SHA = /^0+$/;

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Which event a delivery reports, normalized to `push`, `ping` or the host's own name for it. */
function eventName(headers: WebhookHeaders, payload: Record<string, unknown> | undefined): string {
  // Gitea and Forgejo also send X-GitHub-Event; their own header is read first.
  const giteaLike = headerValue(headers, 'x-gitea-event') ?? headerValue(headers, 'x-forgejo-event');
  const gogs = headerValue(headers, 'x-gogs-event');
  const gitlab = headerValue(headers, 'x-gitlab-event');
  const github = headerValue(headers, 'x-github-event');
  if (giteaLike !== undefined) return giteaLike;
  if (gogs !== undefined) return gogs;
  if (gitlab !== undefined) {
    if (gitlab === 'Push Hook' || gitlab === 'Tag Push Hook') return 'push';
    // Instance-wide system hooks send every event as "System Hook"; the body says which.
    const kind = payload?.object_kind ?? payload?.event_name;
    if (gitlab === 'System Hook' && (kind === 'push' || kind === 'tag_push')) return 'push';
    return gitlab;
  }
  if (github !== undefined) return github;
  return 'unknown';
}

/**
 * Reads a webhook delivery: a push (GitHub and Gitea `push`, GitLab `Push Hook` and
 * `Tag Push Hook`, Gogs `push`), GitHub's `ping`, or some other event. A push whose body has no
 * `ref` is `invalid`. Call only after {@link verifyGitWebhook} accepted the delivery.
 */
export function parsePushEvent(headers: WebhookHeaders, body: unknown): GitEvent {
  const payload = asRecord(body);
  const event = eventName(headers, payload);
  if (event === 'ping') return { kind: 'ping' };
  if (event !== 'push') return { kind: 'other', event };
  const ref = text(payload?.ref);
  if (payload === undefined || ref === undefined) return { kind: 'invalid', reason: 'push event without a ref' };

  const out: PushEvent = { kind: 'push', ref };
  if (ref.startsWith('refs/heads/')) out.branch = ref.slice('refs/heads/'.length);
  else if (ref.startsWith('refs/tags/')) out.tag = ref.slice('refs/tags/'.length);
  const after = text(payload.after);
  if (after !== undefined) out.after = after;
  const repo = asRecord(payload.repository);
  const project = asRecord(payload.project);
  const repository = text(repo?.full_name) ?? text(project?.path_with_namespace);
  if (repository !== undefined) out.repository = repository;
  const defaultBranch = text(repo?.default_branch) ?? text(project?.default_branch);
  if (defaultBranch !== undefined) out.defaultBranch = defaultBranch;
  if (payload.deleted === true || (after !== undefined && ZERO_SHA.test(after))) out.deleted = true;
  return out;
}

/**
 * Whether a push concerns the configured source ref: a branch or tag name (`main`, `v1`), a
 * full ref (`refs/heads/main`), `heads/…` / `tags/…`, or `HEAD` (the repository's default
 * branch, when the payload names it). A pinned commit SHA never matches: pushes do not move it.
 */
export function matchesSource(event: GitEvent, sourceRef: string): boolean {
  if (event.kind !== 'push') return false;
  const want = sourceRef.trim();
  if (want === '') return false;
  if (want.startsWith('refs/')) return event.ref === want;
  if (want.startsWith('heads/') || want.startsWith('tags/')) return event.ref === `refs/${want}`;
  if (want === 'HEAD') return event.branch !== undefined && event.branch === event.defaultBranch;
  return event.branch === want || event.tag === want;
}
