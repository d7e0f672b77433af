import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sensitive } from '../model/sensitive.js';
import {
  checkBearer,
  deliveryId,
  deliveryLog,
  handleGitHook,
  MAX_WEBHOOK_BODY_BYTES,
  matchesSource,
  parsePushEvent,
  verifyGitWebhook,
  type WebhookHeaders,
} from './webhooks.js';

const SECRET = 'It5-a-s3cret!';
const hmac = (body: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));

// Payload shapes as the hosts send them, trimmed of fields Ploy never reads.
const githubPush = {
  ref: 'refs/heads/main',
  before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
  after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
  created: false,
  deleted: false,
  forced: false,
  base_ref: null,
  compare: 'https://github.com/acme/ops/compare/6113728f27ae...0d1a26e67d8f',
  commits: [
    {
      id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      message: 'Scale api to 3 replicas',
      timestamp: '2024-05-01T10:00:00Z',
      author: { name: 'Ada', email: 'ada@example.com', username: 'ada' },
      added: [],
      removed: [],
      modified: ['apps/api.yaml'],
    },
  ],
  head_commit: { id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', message: 'Scale api to 3 replicas' },
  repository: {
    id: 1296269,
    name: 'ops',
    full_name: 'acme/ops',
    default_branch: 'main',
    master_branch: 'main',
  },
  pusher: { name: 'ada', email: 'ada@example.com' },
  sender: { login: 'ada', id: 1 },
};
const githubPing = {
  zen: 'Keep it logically awesome.',
  hook_id: 30,
  hook: {
    type: 'Repository',
    id: 30,
    name: 'web',
    active: true,
    events: ['push'],
    config: { content_type: 'json' },
  },
  repository: { id: 1296269, full_name: 'acme/ops' },
  sender: { login: 'ada', id: 1 },
};
const gitlabPush = {
  object_kind: 'push',
  event_name: 'push',
  before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
  after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  ref: 'refs/heads/master',
  ref_protected: true,
  checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  user_id: 4,
  user_name: 'John Smith',
  user_username: 'jsmith',
  project_id: 15,
  project: {
    id: 15,
    name: 'Diaspora',
    web_url: 'http://example.com/mike/diaspora',
    path_with_namespace: 'mike/diaspora',
    default_branch: 'master',
  },
  commits: [{ id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'fixed readme', modified: ['README.md'] }],
  total_commits_count: 1,
  repository: { name: 'Diaspora', url: 'git@example.com:mike/diaspora.git' },
};
const gitlabTagPush = {
  object_kind: 'tag_push',
  event_name: 'tag_push',
  before: '0000000000000000000000000000000000000000',
  after: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
  ref: 'refs/tags/v1.0.0',
  checkout_sha: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
  user_id: 1,
  user_name: 'John Smith',
  project_id: 1,
  project: { id: 1, name: 'Example', path_with_namespace: 'jsmith/example', default_branch: 'master' },
  commits: [],
  total_commits_count: 0,
  repository: { name: 'Example', url: 'ssh://git@example.com/jsmith/example.git' },
};
const giteaPush = {
  ref: 'refs/heads/develop',
  before: '28e1879d029cb852e4844d9c718537df08844e03',
  after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
  compare_url: 'http://localhost:3000/gitea/webhooks/compare/28e1879d029c...bffeb7422404',
  commits: [{ id: 'bffeb74224043ba2feb48d137756c8a9331c449a', message: 'Webhooks Yay!' }],
  repository: {
    id: 140,
    owner: { id: 1, login: 'gitea', username: 'gitea' },
    name: 'webhooks',
    full_name: 'gitea/webhooks',
    default_branch: 'master',
  },
  pusher: { id: 1, login: 'gitea', username: 'gitea' },
  sender: { id: 1, login: 'gitea', username: 'gitea' },
};

/** The headers each host sends with a delivery of `body` signed with `secret`. */
const headersFor = {
  github: (body: Buffer, event = 'push', secret = SECRET): WebhookHeaders => ({
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'x-github-hook-id': '30',
    'x-hub-signature-256': `sha256=${hmac(body, secret)}`,
  }),
  gitlab: (event = 'Push Hook', token = SECRET): WebhookHeaders => ({
    'content-type': 'application/json',
    'x-gitlab-event': event,
    'x-gitlab-token': token,
    'x-gitlab-instance': 'https://gitlab.example.com',
  }),
  // Gitea sends its own headers, the Gogs ones and the GitHub ones side by side.
  gitea: (body: Buffer, secret = SECRET): WebhookHeaders => {
    const sig = hmac(body, secret);
    return {
      'content-type': 'application/json',
      'x-gitea-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
      'x-gitea-event': 'push',
      'x-gitea-event-type': 'push',
      'x-gitea-signature': sig,
      'x-gogs-event': 'push',
      'x-gogs-signature': sig,
      'x-github-event': 'push',
      'x-hub-signature': 'sha1=0000000000000000000000000000000000000000',
      'x-hub-signature-256': `sha256=${sig}`,
    };
  },
  gogs: (body: Buffer, secret = SECRET): WebhookHeaders => ({
    'content-type': 'application/json',
    'x-gogs-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
    'x-gogs-event': 'push',
    'x-gogs-signature': hmac(body, secret),
  }),
};

/** The body with one byte changed. */
function tamper(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  const at = copy.indexOf('main') >= 0 ? copy.indexOf('main') : copy.length - 2;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('verifyGitWebhook', () => {
  const githubBody = json(githubPush);
  const giteaBody = json(giteaPush);

  it('accepts a GitHub delivery signed with the secret', () => {
    expect(verifyGitWebhook(headersFor.github(githubBody), githubBody, SECRET)).toEqual({
      ok: true,
      provider: 'github',
    });
  });

  it('accepts a GitLab delivery whose token equals the secret', () => {
    const body = json(gitlabPush);
    expect(verifyGitWebhook(headersFor.gitlab(), body, SECRET)).toEqual({ ok: true, provider: 'gitlab' });
  });

  it('accepts a Gitea delivery signed with the secret', () => {
    expect(verifyGitWebhook(headersFor.gitea(giteaBody), giteaBody, SECRET)).toEqual({
      ok: true,
      provider: 'gitea',
    });
  });

  it('accepts a Gitea delivery that carries only X-Hub-Signature-256', () => {
    const headers = { 'x-gitea-event': 'push', 'x-hub-signature-256': `sha256=${hmac(giteaBody)}` };
    expect(verifyGitWebhook(headers, giteaBody, SECRET)).toEqual({ ok: true, provider: 'gitea' });
  });

  it('accepts a Forgejo delivery as Gitea', () => {
    const headers = { 'x-forgejo-event': 'push', 'x-forgejo-signature': hmac(giteaBody) };
    expect(verifyGitWebhook(headers, giteaBody, SECRET)).toEqual({ ok: true, provider: 'gitea' });
  });

  it('accepts a Gogs delivery signed with the secret', () => {
    expect(verifyGitWebhook(headersFor.gogs(giteaBody), giteaBody, SECRET)).toEqual({
      ok: true,
      provider: 'gogs',
    });
  });

  it('accepts an upper-case hex signature', () => {
    const headers = { 'x-hub-signature-256': `sha256=${hmac(githubBody).toUpperCase()}` };
    expect(verifyGitWebhook(headers, githubBody, SECRET).ok).toBe(true);
  });

  it('rejects a body modified by one byte, for every signing provider', () => {
    for (const headers of [headersFor.github(githubBody), headersFor.gitea(githubBody), headersFor.gogs(githubBody)]) {
      const result = verifyGitWebhook(headers, tamper(githubBody), SECRET);
      expect(result.ok).toBe(false);
    }
  });

  it('rejects a delivery signed with a different secret', () => {
    const result = verifyGitWebhook(headersFor.github(githubBody, 'push', 'not-the-secret'), githubBody, SECRET);
    expect(result).toEqual({ ok: false, reason: 'X-Hub-Signature-256 does not match the body' });
    expect(verifyGitWebhook(headersFor.gitea(giteaBody, 'nope'), giteaBody, SECRET).ok).toBe(false);
    expect(verifyGitWebhook(headersFor.gogs(giteaBody, 'nope'), giteaBody, SECRET).ok).toBe(false);
  });

  it('rejects a delivery without any signature header', () => {
    const result = verifyGitWebhook({ 'x-github-event': 'push', 'content-type': 'application/json' }, githubBody, SECRET);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/no X-Hub-Signature-256/);
  });

  it('rejects a delivery signed only with the legacy SHA-1 header', () => {
    const sha1 = createHmac('sha1', SECRET).update(githubBody).digest('hex');
    const result = verifyGitWebhook({ 'x-hub-signature': `sha1=${sha1}` }, githubBody, SECRET);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/SHA-1/) });
  });

  it('rejects a GitLab token that differs from the secret', () => {
    const body = json(gitlabPush);
    expect(verifyGitWebhook(headersFor.gitlab('Push Hook', `${SECRET}x`), body, SECRET).ok).toBe(false);
    expect(verifyGitWebhook(headersFor.gitlab('Push Hook', SECRET.slice(0, -1)), body, SECRET).ok).toBe(false);
    expect(verifyGitWebhook(headersFor.gitlab('Push Hook', ''), body, SECRET).ok).toBe(false);
  });

  it('rejects signatures of a different length without throwing', () => {
    const full = hmac(githubBody);
    for (const sig of [full.slice(0, 40), `${full}00`, '', 'ab']) {
      expect(() => verifyGitWebhook({ 'x-hub-signature-256': `sha256=${sig}` }, githubBody, SECRET)).not.toThrow();
      expect(verifyGitWebhook({ 'x-hub-signature-256': `sha256=${sig}` }, githubBody, SECRET).ok).toBe(false);
      expect(verifyGitWebhook({ 'x-gitea-signature': sig }, githubBody, SECRET).ok).toBe(false);
    }
  });

  it('rejects malformed hex and a missing sha256= prefix', () => {
    const full = hmac(githubBody);
    expect(verifyGitWebhook({ 'x-hub-signature-256': `sha256=${'zz'.repeat(32)}` }, githubBody, SECRET).ok).toBe(false);
    expect(verifyGitWebhook({ 'x-hub-signature-256': full }, githubBody, SECRET).ok).toBe(false);
    expect(verifyGitWebhook({ 'x-gitea-signature': `${full.slice(0, 63)}g` }, githubBody, SECRET).ok).toBe(false);
  });

  it('rejects the empty signature Gitea sends when its webhook has no secret', () => {
    const result = verifyGitWebhook({ 'x-gitea-event': 'push', 'x-gitea-signature': '' }, giteaBody, SECRET);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/empty/) });
  });

  it('does not let a valid header rescue a wrong one', () => {
    const headers = {
      'x-gitea-signature': '0'.repeat(64),
      'x-hub-signature-256': `sha256=${hmac(giteaBody)}`,
    };
    expect(verifyGitWebhook(headers, giteaBody, SECRET).ok).toBe(false);
  });

  it('refuses everything when the secret is empty', () => {
    const headers = { 'x-hub-signature-256': `sha256=${hmac(githubBody, '')}` };
    expect(verifyGitWebhook(headers, githubBody, '').ok).toBe(false);
    expect(verifyGitWebhook({ 'x-gitlab-token': '' }, githubBody, '').ok).toBe(false);
  });
});

describe('parsePushEvent', () => {
  it('reads a GitHub push to a branch', () => {
    expect(parsePushEvent({ 'x-github-event': 'push' }, githubPush)).toEqual({
      kind: 'push',
      ref: 'refs/heads/main',
      branch: 'main',
      after: githubPush.after,
      repository: 'acme/ops',
      defaultBranch: 'main',
    });
  });

  it('reads a GitHub ping', () => {
    expect(parsePushEvent({ 'x-github-event': 'ping' }, githubPing)).toEqual({ kind: 'ping' });
  });

  it('reads a GitLab push and tag push', () => {
    expect(parsePushEvent({ 'x-gitlab-event': 'Push Hook' }, gitlabPush)).toMatchObject({
      kind: 'push',
      branch: 'master',
      after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      repository: 'mike/diaspora',
    });
    const tag = parsePushEvent({ 'x-gitlab-event': 'Tag Push Hook' }, gitlabTagPush);
    expect(tag).toMatchObject({
      kind: 'push',
      ref: 'refs/tags/v1.0.0',
      tag: 'v1.0.0',
      repository: 'jsmith/example',
    });
    expect(tag).not.toHaveProperty('branch');
  });

  it('reads a push that a GitLab system hook reports', () => {
    expect(parsePushEvent({ 'x-gitlab-event': 'System Hook' }, gitlabPush)).toMatchObject({ kind: 'push' });
  });

  it('reads a Gitea push by its own event header', () => {
    expect(parsePushEvent(headersFor.gitea(json(giteaPush)), giteaPush)).toEqual({
      kind: 'push',
      ref: 'refs/heads/develop',
      branch: 'develop',
      after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      repository: 'gitea/webhooks',
      defaultBranch: 'master',
    });
  });

  it('keeps slashes in branch names', () => {
    expect(parsePushEvent({ 'x-github-event': 'push' }, { ref: 'refs/heads/release/2024' })).toMatchObject({
      branch: 'release/2024',
    });
  });

  it('marks a push that deletes its ref', () => {
    const deletion = { ...githubPush, deleted: true, after: '0000000000000000000000000000000000000000' };
    expect(parsePushEvent({ 'x-github-event': 'push' }, deletion)).toMatchObject({ deleted: true });
    const gitlabDeletion = {
      ...gitlabPush,
      after: '0000000000000000000000000000000000000000',
      checkout_sha: null,
    };
    expect(parsePushEvent({ 'x-gitlab-event': 'Push Hook' }, gitlabDeletion)).toMatchObject({
      deleted: true,
    });
  });

  it('names other events and flags a push without a ref', () => {
    expect(parsePushEvent({ 'x-github-event': 'issues' }, {})).toEqual({ kind: 'other', event: 'issues' });
    expect(parsePushEvent({ 'x-gitlab-event': 'Merge Request Hook' }, {})).toEqual({
      kind: 'other',
      event: 'Merge Request Hook',
    });
    expect(parsePushEvent({}, {})).toEqual({ kind: 'other', event: 'unknown' });
    expect(parsePushEvent({ 'x-github-event': 'push' }, { after: 'abc' })).toMatchObject({ kind: 'invalid' });
    expect(parsePushEvent({ 'x-github-event': 'push' }, null)).toMatchObject({ kind: 'invalid' });
  });
});

describe('matchesSource', () => {
  const main = parsePushEvent({ 'x-github-event': 'push' }, githubPush);
  const tag = parsePushEvent({ 'x-gitlab-event': 'Tag Push Hook' }, gitlabTagPush);

  it('matches a branch by name, by full ref and by heads/ prefix', () => {
    expect(matchesSource(main, 'main')).toBe(true);
    expect(matchesSource(main, 'refs/heads/main')).toBe(true);
    expect(matchesSource(main, 'heads/main')).toBe(true);
  });

  it('does not match another branch, or a tag of the same name', () => {
    expect(matchesSource(main, 'dev')).toBe(false);
    expect(matchesSource(main, 'refs/tags/main')).toBe(false);
    expect(matchesSource(main, 'mai')).toBe(false);
  });

  it('matches a tag by name and by full ref', () => {
    expect(matchesSource(tag, 'v1.0.0')).toBe(true);
    expect(matchesSource(tag, 'refs/tags/v1.0.0')).toBe(true);
    expect(matchesSource(tag, 'refs/heads/v1.0.0')).toBe(false);
  });

  it('matches HEAD to the default branch the payload names', () => {
    expect(matchesSource(main, 'HEAD')).toBe(true);
    const gitea = parsePushEvent({ 'x-gitea-event': 'push' }, giteaPush);
    expect(matchesSource(gitea, 'HEAD')).toBe(false);
  });

  it('never matches a pinned commit or a ping', () => {
    expect(matchesSource(main, githubPush.after)).toBe(false);
    expect(matchesSource({ kind: 'ping' }, 'main')).toBe(false);
  });
});

describe('handleGitHook', () => {
  const opts = { secret: SECRET, sourceRef: 'main' };
  const github = (payload: unknown, event = 'push') => {
    const rawBody = json(payload);
    return { headers: headersFor.github(rawBody, event), rawBody };
  };

  it('answers 403 and says webhook.secret is needed when no secret is configured', () => {
    for (const secret of [undefined, '']) {
      const res = handleGitHook(github(githubPush), { secret, sourceRef: 'main' });
      expect(res).toMatchObject({ status: 403, fetch: false });
      expect(JSON.stringify(res.body)).toContain('webhook.secret');
    }
  });

  it('answers 401 and fetches nothing when the signature is wrong', () => {
    const req = github(githubPush);
    const res = handleGitHook({ ...req, rawBody: tamper(req.rawBody) }, opts);
    expect(res).toMatchObject({ status: 401, fetch: false });
  });

  it('answers 401 when the signature header is missing', () => {
    const res = handleGitHook({ headers: { 'x-github-event': 'push' }, rawBody: json(githubPush) }, opts);
    expect(res).toMatchObject({ status: 401, fetch: false });
  });

  it('answers 413 to a body over 5 MiB, before checking it', () => {
    const rawBody = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20);
    const res = handleGitHook({ headers: headersFor.github(rawBody), rawBody }, opts);
    expect(res).toMatchObject({ status: 413, fetch: false });
    const atLimit = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES, 0x20);
    expect(handleGitHook({ headers: headersFor.github(atLimit), rawBody: atLimit }, opts).status).toBe(400);
  });

  it('answers 400 to a signed body that is not JSON', () => {
    const rawBody = Buffer.from('{"ref": "refs/heads/main"');
    const res = handleGitHook({ headers: headersFor.github(rawBody), rawBody }, opts);
    expect(res).toMatchObject({ status: 400, fetch: false });
  });

  it('answers 200 to a ping without fetching', () => {
    expect(handleGitHook(github(githubPing, 'ping'), opts)).toMatchObject({ status: 200, fetch: false });
  });

  it('fetches on a push to the source branch', () => {
    const res = handleGitHook(github(githubPush), opts);
    expect(res).toEqual({
      status: 202,
      body: { accepted: true, provider: 'github', ref: 'refs/heads/main', after: githubPush.after },
      fetch: true,
    });
  });

  it('ignores a push to another branch', () => {
    const res = handleGitHook(github({ ...githubPush, ref: 'refs/heads/feature/x' }), opts);
    expect(res.status).toBe(202);
    expect(res.fetch).toBe(false);
    expect(res.body).toHaveProperty('ignored');
  });

  it('ignores the deletion of the source branch, keeping the last good revision', () => {
    const res = handleGitHook(github({ ...githubPush, deleted: true, after: '0'.repeat(40) }), opts);
    expect(res).toMatchObject({
      status: 202,
      fetch: false,
      body: { ignored: expect.stringMatching(/deleted/) },
    });
  });

  it('ignores events other than push', () => {
    expect(handleGitHook(github({ action: 'opened' }, 'pull_request'), opts)).toMatchObject({
      status: 202,
      fetch: false,
    });
  });

  it('fetches on a GitLab tag push when the source is that tag', () => {
    const rawBody = json(gitlabTagPush);
    const req = { headers: headersFor.gitlab('Tag Push Hook'), rawBody };
    expect(handleGitHook(req, { secret: SECRET, sourceRef: 'v1.0.0' })).toMatchObject({
      status: 202,
      fetch: true,
    });
    expect(handleGitHook(req, { secret: SECRET, sourceRef: 'master' })).toMatchObject({
      status: 202,
      fetch: false,
    });
  });

  it('fetches on a Gitea push to the source branch', () => {
    const rawBody = json(giteaPush);
    const res = handleGitHook({ headers: headersFor.gitea(rawBody), rawBody }, { secret: SECRET, sourceRef: 'develop' });
    expect(res).toMatchObject({
      status: 202,
      fetch: true,
      body: { provider: 'gitea', ref: 'refs/heads/develop' },
    });
  });

  it('reconciles on any push when the source is a local directory', () => {
    const res = handleGitHook(github({ ...githubPush, ref: 'refs/heads/other' }), {
      secret: SECRET,
      sourceRef: undefined,
    });
    expect(res).toMatchObject({ status: 202, fetch: true });
  });

  it('reads a form-encoded GitHub delivery from its payload field', () => {
    const rawBody = Buffer.from(new URLSearchParams({ payload: JSON.stringify(githubPush) }).toString());
    const headers = { ...headersFor.github(rawBody), 'content-type': 'application/x-www-form-urlencoded' };
    expect(handleGitHook({ headers, rawBody }, opts)).toMatchObject({ status: 202, fetch: true });
  });

  it('accepts the secret as a Sensitive value', () => {
    const secret = new Sensitive(SECRET, '${secret:WEBHOOK_SECRET}', ['WEBHOOK_SECRET']);
    expect(handleGitHook(github(githubPush), { secret, sourceRef: 'main' })).toMatchObject({ fetch: true });
  });

  it('never puts the secret in a response', () => {
    const gitlabReq = (token: string) => ({
      headers: headersFor.gitlab('Push Hook', token),
      rawBody: json(gitlabPush),
    });
    const responses = [
      handleGitHook(github(githubPush), opts),
      handleGitHook(github(githubPing, 'ping'), opts),
      handleGitHook(gitlabReq(SECRET), { secret: SECRET, sourceRef: 'master' }),
      handleGitHook(gitlabReq(`${SECRET}!`), opts),
      handleGitHook({ headers: { 'x-hub-signature-256': 'sha256=00' }, rawBody: json(githubPush) }, opts),
      handleGitHook(github(githubPush), { secret: undefined, sourceRef: 'main' }),
    ];
    for (const res of responses) expect(JSON.stringify(res)).not.toContain(SECRET);
  });
});

describe('replayed deliveries', () => {
  const clock = {
    at: new Date('2025-01-01T00:00:00Z'),
    now() {
      return this.at;
    },
    sleep: async () => {},
  };
  const rawBody = json(githubPush);
  const delivery = (id: string, secret = SECRET) => ({
    headers: {
      ...headersFor.github(rawBody, 'push'),
      'x-hub-signature-256': `sha256=${hmac(rawBody, secret)}`,
      'x-github-delivery': id,
    },
    rawBody,
  });

  it('fetches for a delivery once and ignores its replay for a day, then takes it again', () => {
    const opts = { secret: SECRET, sourceRef: 'main', deliveries: deliveryLog(clock) };
    expect(handleGitHook(delivery('d-1'), opts)).toMatchObject({ status: 202, fetch: true });
    expect(handleGitHook(delivery('d-1'), opts)).toEqual({
      status: 200,
      body: { ignored: 'replayed delivery', provider: 'github' },
      fetch: false,
    });
    expect(handleGitHook(delivery('d-2'), opts)).toMatchObject({ status: 202, fetch: true });
    clock.at = new Date(clock.at.getTime() + 86_400_001);
    expect(handleGitHook(delivery('d-1'), opts)).toMatchObject({ status: 202, fetch: true });
  });

  it('remembers only verified deliveries: a forged one cannot block the real one', () => {
    const opts = { secret: SECRET, sourceRef: 'main', deliveries: deliveryLog(clock) };
    expect(handleGitHook(delivery('d-3', 'forged'), opts)).toMatchObject({ status: 401, fetch: false });
    expect(handleGitHook(delivery('d-3'), opts)).toMatchObject({ status: 202, fetch: true });
  });

  it('keeps a bounded number of ids: the oldest are forgotten first', () => {
    const opts = { secret: SECRET, sourceRef: 'main', deliveries: deliveryLog(clock, { max: 2 }) };
    for (const id of ['a', 'b', 'c']) handleGitHook(delivery(id), opts);
    expect(handleGitHook(delivery('a'), opts)).toMatchObject({ fetch: true });
    expect(handleGitHook(delivery('c'), opts)).toMatchObject({ fetch: false });
  });

  it('names deliveries by the header of each host', () => {
    expect(deliveryId({ 'x-gitlab-event-uuid': 'u-1' })).toBe('x-gitlab-event-uuid:u-1');
    expect(deliveryId({ 'X-Gitea-Delivery': 'g-1' })).toBe('x-gitea-delivery:g-1');
    expect(deliveryId({})).toBeUndefined();
  });

  it('answers every refused signature with the same body, the cause kept for the log', () => {
    const opts = { secret: SECRET, sourceRef: 'main' };
    const missing = handleGitHook({ headers: { 'x-github-event': 'push' }, rawBody }, opts);
    const wrong = handleGitHook(delivery('d-4', 'wrong'), opts);
    expect(missing.body).toEqual(wrong.body);
    expect(missing.reason).not.toEqual(wrong.reason);
  });
});

describe('checkBearer', () => {
  it('accepts the configured token', () => {
    expect(checkBearer({ authorization: 'Bearer t0ken-123' }, 't0ken-123')).toBe(true);
    expect(checkBearer({ authorization: 'bearer t0ken-123' }, 't0ken-123')).toBe(true);
  });

  it('rejects a wrong, shorter, longer or missing token', () => {
    for (const authorization of ['Bearer t0ken-12', 'Bearer t0ken-1234', 'Bearer other', 'Bearer ', 't0ken-123', undefined]) {
      expect(checkBearer({ authorization }, 't0ken-123')).toBe(false);
    }
    expect(checkBearer({ authorization: 'Basic dDBrZW4tMTIz' }, 't0ken-123')).toBe(false);
  });

  it('rejects every request when no token is configured, since sync requires auth', () => {
    expect(checkBearer({ authorization: 'Bearer anything' }, undefined)).toBe(false);
    expect(checkBearer({ authorization: 'Bearer ' }, '')).toBe(false);
  });

  it('accepts the token as a Sensitive value', () => {
    const token = new Sensitive('t0ken-123', '${env:PLOY_API_TOKEN}', []);
    expect(checkBearer({ authorization: 'Bearer t0ken-123' }, token)).toBe(true);
  });
});
