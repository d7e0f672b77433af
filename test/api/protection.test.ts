import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { createApi } from '../../engine/api/server.js';
import type { ReadModel } from '../../engine/ports/read-model.js';
import { type Fixture, SECRETS, startFixture } from './fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('API protection', () => {
  it('refuses requests without the api.token, or with a wrong one, and answers with it', async () => {
    for (const token of [null, 'wrong-token']) {
      const r = await fx.gql('{ engine { version } }', {}, token);
      expect(r.status).toBe(401);
      expect(r.text).not.toContain(SECRETS.API_TOKEN);
    }
    const ok = await fx.gql('{ engine { version } }');
    expect(ok.status).toBe(200);
    expect(ok.body.data.engine.version).toBe('test');
  });

  it('serves the GraphiQL page without the token (it holds no data), and no data without it', async () => {
    const page = await fetch(`${fx.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
    const get = await fetch(`${fx.url}/graphql?query=${encodeURIComponent('{ engine { version } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(get.status).toBe(401);
  });

  it('sends no CORS headers: other origins get no access', async () => {
    const pre = await fetch(`${fx.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const r = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/json',
        authorization: `Bearer ${SECRETS.API_TOKEN}`,
      },
      body: JSON.stringify({ query: '{ engine { version } }' }),
    });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects an over-deep query before running it', async () => {
    // apply → plan → revision → plan → revision → ... nests without end.
    let sel = 'number';
    for (let i = 0; i < 8; i++) sel = `plan { revision { ${sel} } }`;
    const r = await fx.gql(`{ applies(first: 1) { edges { node { ${sel} } } } }`);
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', kind: 'Depth' } });
    expect(r.body.errors[0].message).toMatch(/query depth \d+ exceeds the limit of 12/);
    // Refused before validation and execution: a request error, which has no data at all.
    expect(r.body).not.toHaveProperty('data');
  });

  it('rejects a query whose cost (rows × fields) is over the limit', async () => {
    const r = await fx.gql(
      `{ monitors(first: 1000) { edges { node { heartbeats(first: 1000) { edges { node { at ok } } } } } } }`,
    );
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', kind: 'Complexity' } });
  });

  it('refuses a page larger than 1,000 rows and a bad cursor with a clear message', async () => {
    const big = await fx.gql('{ events(first: 5000) { edges { node { id } } } }');
    expect(big.body.errors[0].message).toBe('a page holds 0 to 1000 rows');
    const bad = await fx.gql('{ events(after: "zzz") { edges { node { id } } } }');
    expect(bad.body.errors[0].message).toMatch(/is not a cursor of this connection/);
  });

  it('masks internal errors: the client sees "Unexpected error.", never the cause', async () => {
    const broken = new Proxy({} as ReadModel, {
      get: () => async () => {
        throw new Error('connection to db.internal:5432 failed for user ploy password=hunter2');
      },
    });
    const logged: string[] = [];
    const api = createApi(
      {
        store: fx.store,
        readModel: broken,
        clock: systemClock,
        version: 'test',
        engine: { lastSync: () => undefined, runs: () => 0, source: 'test', syncAuto: true },
      },
      { warn: () => {}, error: (o) => logged.push(JSON.stringify(o)) },
    );
    const res = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { edges { node { id } } } }' }),
    });
    const text = await res.text();
    expect(JSON.parse(text).errors[0].message).toBe('Unexpected error.');
    expect(text).not.toMatch(/hunter2|db\.internal/);
    expect(logged.join('\n')).toContain('db.internal');
  });

  it('has no mutations: the API is read-only', async () => {
    const r = await fx.gql('{ __schema { mutationType { name } } }');
    expect(r.body.data.__schema.mutationType).toBeNull();
  });
});

describe('GET /metrics', () => {
  it('needs the token when one is set', async () => {
    expect((await fetch(`${fx.url}/metrics`)).status).toBe(401);
  });

  it('serves Prometheus text that parses, with reconcile, resource and runtime series', async () => {
    const r = await fetch(`${fx.url}/metrics`, { headers: { authorization: `Bearer ${SECRETS.API_TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    // Every line is a comment (# HELP / # TYPE) or `name{labels} value` in the text format.
    const sample =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;
    for (const line of text.split('\n').filter(Boolean)) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) /);
      else expect(line, line).toMatch(sample);
    }
    expect(text).toMatch(/^ploy_reconcile_duration_seconds_count\{outcome="applied"\} [1-9]/m);
    expect(text).toMatch(/^ploy_resources\{kind="Monitor",status="unknown"\} 2$/m);
    expect(text).toMatch(/^ploy_info\{version="test"\} 1$/m);
    for (const name of ['ploy_monitor_up', 'ploy_job_runs', 'ploy_schedule_lag_seconds', 'ploy_deliveries', 'ploy_deployments'])
      expect(text).toContain(`# TYPE ${name} gauge`);
    expect(text).not.toContain(SECRETS.API_TOKEN);
  });
});
