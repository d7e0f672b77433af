import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitServer, pushFiles, startGitServer } from '../support/git-http-server.js';
import { until } from '../support/serve-process.js';
import { type ServedApi, startServedApi } from '../support/served-api.js';

const SECRET = 'whsec-replay-7c1d';
const push = JSON.stringify({ ref: 'refs/heads/main', after: 'b'.repeat(40), repository: { full_name: 'acme/ops' } });
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

let git: GitServer;
let api: ServedApi;
/** Fetches the engine made: each starts with the ref advertisement of git-upload-pack. */
let fetches = 0;

beforeAll(async () => {
  git = await startGitServer({
    onRequest: (method, url) => {
      if (method === 'GET' && url.pathname.endsWith('/info/refs') && url.searchParams.get('service') === 'git-upload-pack')
        fetches++;
    },
  });
  await git.createRepo('ops');
  await pushFiles(
    git.url('ops'),
    { 'job.yaml': 'kind: Job\nname: tick\nschedule: "0 0 1 1 *"\nshell: {command: "true"}\n' },
    'first',
    'main',
  );
  // Polled once an hour: every fetch in the test comes from a webhook.
  api = await startServedApi({
    'ploy.config.yaml': `source: {git: {url: "${git.url('ops')}", ref: main, interval: 1h}}\nwebhook: {secret: "\${secret:HOOK}"}\nsecrets: {dir: ./secrets}\n`,
    'secrets/HOOK': SECRET,
  });
});

afterAll(async () => {
  await api?.stop();
  await git?.stop();
});

const deliver = (headers: Record<string, string>) =>
  fetch(`${api.url}/hooks/git`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
    body: push,
  });

describe('POST /hooks/git on a real ploy serve', () => {
  it('fetches once for a delivery and ignores a replay of it, which fetches nothing', async () => {
    const before = fetches;
    const headers = { 'x-hub-signature-256': sign(push), 'x-github-delivery': '5f0e7c2a-0000-4000-8000-000000000001' };
    const first = await deliver(headers);
    expect(first.status).toBe(202);
    await until('the webhook’s fetch', async () => fetches === before + 1, 10_000);

    const replay = await deliver(headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ ignored: 'replayed delivery' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(fetches).toBe(before + 1);

    // A new delivery of the same push (another id) is a new event, and fetches.
    const again = await deliver({ ...headers, 'x-github-delivery': '5f0e7c2a-0000-4000-8000-000000000002' });
    expect(again.status).toBe(202);
    await until('the second delivery’s fetch', async () => fetches === before + 2, 10_000);
  });

  it('answers 401 with the same body whether the signature is missing, malformed or wrong', async () => {
    const bodies = new Set<string>();
    const refused: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': 'sha256=zz' },
      { 'x-hub-signature-256': sign(push, 'wrong') },
    ];
    for (const headers of refused) {
      const r = await deliver(headers);
      expect(r.status).toBe(401);
      bodies.add(await r.text());
    }
    expect([...bodies]).toEqual(['{"error":"webhook not authenticated"}']);
  });
});
