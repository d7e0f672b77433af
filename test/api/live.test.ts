import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, SECRETS, startFixture } from './fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture(undefined, { livePollMs: 50 });
});
afterAll(async () => {
  await fx?.close();
});

/** Opens a subscription over SSE (real HTTP) and yields each `next` payload's data. */
async function subscribe(query: string, signal: AbortSignal, variables: object = {}) {
  const res = await fetch(`${fx.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${SECRETS.API_TOKEN}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return async function next(): Promise<any> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('');
        if (block.includes('event: next') && data) return JSON.parse(data);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += value;
    }
  };
}

const within = <T>(p: Promise<T>, ms = 5000) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no message within ${ms} ms`)), ms))]);

describe('subscriptions over SSE', () => {
  it('unsubscribes from the shared feed when the client goes away, even from a quiet feed', async () => {
    const abort = new AbortController();
    await subscribe('subscription { events(types: ["never.happens"]) { type } }', abort.signal);
    const feed = fx.engine.api!.live.events;
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
      return ok();
    };
    expect(await until(() => feed.subscribers === 1)).toBe(true);
    abort.abort();
    expect(await until(() => feed.subscribers === 0)).toBe(true);
  });

  it('streams an event recorded after subscribing, filtered by type', async () => {
    const abort = new AbortController();
    try {
      const next = await subscribe('subscription($t: [String!]) { events(types: $t) { type resource message } }', abort.signal, {
        t: ['deploy.failed'],
      });
      // Let the feed take its starting point, then record one event that is filtered out and one that is not.
      await new Promise((r) => setTimeout(r, 150));
      await fx.store.recordEvent({ type: 'sync.failed', message: 'not this one', at: new Date() });
      await fx.store.recordEvent({ type: 'deploy.failed', resource: 'App/web', message: 'web failed to start', at: new Date() });
      const msg = await within(next());
      expect(msg.data.events).toEqual({ type: 'deploy.failed', resource: 'App/web', message: 'web failed to start' });
    } finally {
      abort.abort();
    }
  });

  it('streams the sync status now and after the next reconcile', async () => {
    const abort = new AbortController();
    try {
      const next = await subscribe('subscription { syncStatus { outcome runs } }', abort.signal);
      const now = await within(next());
      expect(['applied', 'in-sync']).toContain(now.data.syncStatus.outcome);
      const runs = now.data.syncStatus.runs;
      await fx.engine.reconciler.trigger('test');
      const after = await within(next());
      expect(after.data.syncStatus).toEqual({ outcome: 'in-sync', runs: runs + 1 });
    } finally {
      abort.abort();
    }
  });

  it('streams a monitor state change and deployment progress', async () => {
    const abort = new AbortController();
    try {
      const states = await subscribe(
        'subscription { monitorStateChanged(monitors: ["api"]) { monitor state message } }',
        abort.signal,
      );
      const deploys = await subscribe('subscription { deploymentProgress(apps: ["web"]) { app status } }', abort.signal);
      await new Promise((r) => setTimeout(r, 150));
      await fx.store.recordEvent({ type: 'monitor.down', resource: 'Monitor/api', message: 'api is down', at: new Date() });
      expect((await within(states())).data.monitorStateChanged).toEqual({
        monitor: 'api',
        state: 'down',
        message: 'api is down',
      });
      const [row] = await fx.db.query<{ id: number }>(
        `insert into deployments (app, spec_hash, status, started_at) values ('web', 'sha256:c', 'running', now()) returning id`,
      );
      expect((await within(deploys())).data.deploymentProgress).toEqual({ app: 'web', status: 'running' });
      await fx.db.query(`update deployments set status = 'succeeded', finished_at = now() where id = $1`, [row.id]);
      expect((await within(deploys())).data.deploymentProgress).toEqual({ app: 'web', status: 'succeeded' });
    } finally {
      abort.abort();
    }
  });

  it('refuses a subscription without the token', async () => {
    const res = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { events { type } }' }),
    });
    expect(res.status).toBe(401);
  });
});
