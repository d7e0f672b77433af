import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, type ServedApi, startServedApi } from '../support/served-api.js';

const TOKEN = 'api-t0ken-rebind-5e2f';
const auth = { authorization: `Bearer ${TOKEN}` };
const query = JSON.stringify({ query: '{ engine { version source } }' });

let api: ServedApi;

beforeAll(async () => {
  api = await startServedApi(
    {
      'ploy.config.yaml':
        'source: {path: ./repo}\nsecrets: {dir: ./secrets}\napi: {token: "${secret:API_TOKEN}", hosts: [ploy.example.test]}\n',
      'secrets/API_TOKEN': TOKEN,
      'repo/job.yaml': 'kind: Job\nname: tick\nschedule: "0 0 1 1 *"\nshell: {command: "true"}\n',
    },
    { token: TOKEN },
  );
});

afterAll(async () => {
  await api?.stop();
});

const get = (path: string, headers: Record<string, string>) => rawRequest(`${api.url}${path}`, { headers });
const graphql = (headers: Record<string, string>) =>
  rawRequest(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });

describe('a page that rebinds its DNS name to the engine', () => {
  it('reads no data: a request with Host: attacker.example gets 421 from graphql, metrics and the UI, even with the token', async () => {
    const host = { host: 'attacker.example:4000' };
    const answers = [
      await graphql({ ...host, ...auth }),
      await get(`/graphql?query=${encodeURIComponent('{ engine { version } }')}`, { ...host, ...auth }),
      await get('/metrics', { ...host, ...auth }),
      await get('/', host),
      await get('/monitors', host),
    ];
    for (const a of answers) {
      expect(a.status).toBe(421);
      expect(a.body).not.toMatch(/version|ploy_|<html|"data"/i);
    }
  });

  it('reaches the hooks and pushes, which other servers call by the public name, only with their credential and never for data', async () => {
    const host = { host: 'attacker.example:4000', origin: 'https://attacker.example' };
    const sync = await rawRequest(`${api.url}/hooks/sync`, { method: 'POST', headers: host, body: '' });
    expect(sync.status).toBe(401);
    // No webhook.secret is configured here: a git hook is refused whoever calls it.
    const git = await rawRequest(`${api.url}/hooks/git`, { method: 'POST', headers: host, body: '{}' });
    expect(git.status).toBe(403);
    const push = await get('/push/tick?token=guess', host);
    expect(push.status).toBe(404);
    for (const a of [sync, git, push]) expect(a.body).not.toMatch(/version|revision|"data"/i);
  });

  it('gets only the status from /healthz, which load balancers need', async () => {
    const a = await get('/healthz', { host: 'attacker.example', ...auth });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ status: 'ok' });
  });

  it('cannot use the engine from another origin either: a browser request with a foreign Origin gets 403', async () => {
    const a = await graphql({ host: `127.0.0.1:${api.port}`, origin: 'https://attacker.example', ...auth });
    expect(a.status).toBe(403);
    expect(a.body).not.toContain('version');
  });
});

describe('the names the engine is reached by', () => {
  it('answers loopback names, its own address and the names of api.hosts, with the token', async () => {
    for (const host of [`127.0.0.1:${api.port}`, `localhost:${api.port}`, 'ploy.example.test']) {
      const a = await graphql({ host, ...auth });
      expect(a.status, host).toBe(200);
      expect(JSON.parse(a.body).data.engine.version).toBeTruthy();
    }
    const sameOrigin = await graphql({ host: `127.0.0.1:${api.port}`, origin: `http://127.0.0.1:${api.port}`, ...auth });
    expect(sameOrigin.status).toBe(200);
  });

  it('keeps every read behind the token when one is set: graphql and metrics 401, /healthz only the status', async () => {
    const host = { host: `127.0.0.1:${api.port}` };
    expect((await graphql(host)).status).toBe(401);
    expect((await get('/metrics', host)).status).toBe(401);
    expect(JSON.parse((await get('/healthz', host)).body)).toEqual({ status: 'ok' });
    expect(JSON.parse((await get('/healthz', { ...host, ...auth })).body)).toMatchObject({ status: 'ok', sync: 'applied' });
  });
});
