import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sensitive } from '../../engine/model/sensitive.js';
import { GitSource, GitSourceError, type GitSourceOptions } from '../../engine/source/git-source.js';
import { pollGitSource } from '../../engine/source/poll.js';
import { type GitServer, pushFiles, pushTag, startGitServer } from '../support/git-http-server.js';

const USER = 'deploy';
const PASSWORD = 'pa55-w0rd-never-shown';
const alice = { name: 'Alice Admin', email: 'alice@example.com' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let server: GitServer;
let cacheDir: string;
let first: string;

const source = (over: Partial<GitSourceOptions> = {}) =>
  new GitSource({
    url: server.url('config'),
    ref: 'main',
    dir: 'ploy',
    auth: { username: USER, password: new Sensitive(PASSWORD, '${secret:GIT_PW}', ['GIT_PW']) },
    cacheDir,
    ...over,
  });

/** Commits and pushes to a repository of the main server, through HTTP with its credentials. */
const push = (repo: string, files: Record<string, string | null>, message: string) =>
  pushFiles(server.urlWithCredentials(repo), files, message);

/** Rejection of a promise, for asserting on the error itself. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as GitSourceError,
  );

beforeAll(async () => {
  server = await startGitServer({ username: USER, password: PASSWORD });
  cacheDir = await mkdtemp(join(tmpdir(), 'ploy-git-cache-'));
  await server.createRepo('config');
  first = await pushFiles(
    server.urlWithCredentials('config'),
    {
      'ploy/apps/web.yaml': 'kind: App\nname: web\n',
      'ploy/jobs/backup.yaml': 'kind: Job\nname: backup\n',
      'README.md': '# config\n',
      'other/ignored.yaml': 'kind: App\nname: outside\n',
    },
    'Add web and backup\n\nFirst revision.',
    'main',
    alice,
  );
});

afterAll(async () => {
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('GitSource against a real smart-HTTP server', () => {
  it('clones a branch and reads only the files below dir, with who committed them', async () => {
    const git = source();
    const started = performance.now();
    const fetched = await git.fetch();
    console.log(`first fetch (clone) of a 4-file repo: ${(performance.now() - started).toFixed(0)} ms`);
    expect(fetched).toEqual({ oid: first, changed: true });

    const { snapshot, commit, diagnostics } = await git.snapshot(first);
    expect(diagnostics).toEqual([]);
    expect(snapshot.revision).toBe(first);
    expect(snapshot.files.map((f) => f.path)).toEqual(['apps/web.yaml', 'jobs/backup.yaml']);
    expect(text(snapshot.files[0].bytes)).toBe('kind: App\nname: web\n');
    expect(commit).toMatchObject({
      oid: first,
      author: 'Alice Admin <alice@example.com>',
      message: 'Add web and backup\n\nFirst revision.',
    });
    expect(commit.committedAt).toBeInstanceOf(Date);
  });

  it('reports a new commit after a push, then no change when nothing was pushed', async () => {
    const git = source();
    await git.fetch();
    const second = await push('config', { 'ploy/apps/web.yaml': 'kind: App\nname: web\n# v2\n' }, 'Tune web');

    let started = performance.now();
    expect(await git.fetch()).toEqual({ oid: second, changed: true });
    console.log(`incremental fetch of one new commit: ${(performance.now() - started).toFixed(0)} ms`);
    started = performance.now();
    expect(await git.fetch()).toEqual({ oid: second, changed: false });
    console.log(`fetch with nothing new: ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('lists exactly the paths below dir that changed between two commits', async () => {
    const git = source();
    const { oid: before } = await git.fetch();
    const after = await push(
      'config',
      {
        'ploy/apps/web.yaml': 'kind: App\nname: web\n# v3\n',
        'ploy/apps/api.yaml': 'kind: App\nname: api\n',
        'ploy/jobs/backup.yaml': null,
        'README.md': '# config, edited\n',
        'other/ignored.yaml': null,
      },
      'Add api, drop backup',
    );
    await git.fetch();
    expect(await git.changedFiles(before, after)).toEqual(['apps/api.yaml', 'apps/web.yaml', 'jobs/backup.yaml']);
    expect(await git.changedFiles(after, after)).toEqual([]);
  });

  it('keeps the snapshot of an older commit unchanged after newer pushes', async () => {
    const git = source();
    await git.fetch();
    const { snapshot } = await git.snapshot(first);
    expect(snapshot.files.map((f) => [f.path, text(f.bytes)])).toEqual([
      ['apps/web.yaml', 'kind: App\nname: web\n'],
      ['jobs/backup.yaml', 'kind: Job\nname: backup\n'],
    ]);
  });

  it('follows an annotated tag and a lightweight tag to their commit', async () => {
    await server.createRepo('tagged');
    const tagged = await push('tagged', { 'app.yaml': 'kind: App\nname: a\n' }, 'Tagged');
    await pushTag(server.urlWithCredentials('tagged'), 'v1.0.0');
    await pushTag(server.urlWithCredentials('tagged'), 'light', 'main', null);
    await push('tagged', { 'app.yaml': 'kind: App\nname: b\n' }, 'After the tag');

    for (const ref of ['v1.0.0', 'light']) {
      const git = source({ url: server.url('tagged'), ref, dir: '.' });
      expect(await git.fetch()).toEqual({ oid: tagged, changed: true });
      const { snapshot } = await git.snapshot(tagged);
      expect(snapshot.files.map((f) => text(f.bytes))).toEqual(['kind: App\nname: a\n']);
    }
  });

  it('authenticates with a token sent the way GitLab expects it', async () => {
    const tokenServer = await startGitServer({ username: 'oauth2', password: 'glpat-token-123' });
    try {
      await tokenServer.createRepo('r');
      const oid = await pushFiles(tokenServer.urlWithCredentials('r'), { 'a.yaml': 'kind: App\n' }, 'One');
      const git = source({
        url: tokenServer.url('r'),
        dir: '.',
        auth: { token: new Sensitive('glpat-token-123', '', []) },
      });
      expect((await git.fetch()).oid).toBe(oid);
    } finally {
      await tokenServer.stop();
    }
  });

  it('rejects a wrong password with a GitSourceError that never shows the password', async () => {
    const wrong = 'wr0ng-secret-value';
    const err = await failure(source({ auth: { username: USER, password: new Sensitive(wrong, '', []) } }).fetch());
    expect(err).toBeInstanceOf(GitSourceError);
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(`${server.url('config')} rejected the configured credentials (HTTP 401); check source.git.auth.`);
    for (const shown of [err.message, String(err), inspect(err, { depth: 10 }), JSON.stringify(err)]) {
      expect(shown).not.toContain(wrong);
      expect(shown).not.toContain(PASSWORD);
    }
  });

  it('says credentials are needed, and hides credentials embedded in the URL', async () => {
    expect((await failure(source({ auth: undefined }).fetch())).message).toContain('requires credentials');
    const url = server.url('config').replace('http://', 'http://deploy:url-secret-42@');
    const err = await failure(source({ url, auth: undefined }).fetch());
    expect(err).toMatchObject({ kind: 'auth', url: server.url('config') });
    expect(err.message).toContain('rejected the configured credentials');
    expect(inspect(err, { depth: 10 })).not.toContain('url-secret-42');
  });

  it('names an unknown ref in a clear error', async () => {
    const err = await failure(source({ ref: 'no-such-branch' }).fetch());
    expect(err).toMatchObject({
      kind: 'ref-not-found',
      message: `${server.url('config')} has no branch or tag "no-such-branch"; check source.git.ref.`,
    });
  });

  it('reports a repository that does not exist, and a server that is not there', async () => {
    expect((await failure(source({ url: server.url('missing') }).fetch())).kind).toBe('repo-not-found');
    expect((await failure(source({ url: 'http://127.0.0.1:1/config.git' }).fetch())).kind).toBe('unreachable');
  });

  it('abandons a fetch from a server that never answers, after the timeout', async () => {
    const silent = createServer(() => undefined); // accepts the request and never responds
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/config.git`;
      const started = performance.now();
      const err = await failure(source({ url, timeoutMs: 300 }).fetch());
      expect(err.kind).toBe('timeout');
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('points out a dir that does not exist in the commit', async () => {
    const git = source({ dir: 'nope' });
    const { oid } = await git.fetch();
    const { snapshot, diagnostics } = await git.snapshot(oid);
    expect(snapshot.files).toEqual([]);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('source.git.dir "nope" does not exist')]);
  });
});

describe('pollGitSource', () => {
  it('calls back once per new commit, and fetchNow picks up a push at once', async () => {
    await server.createRepo('polled');
    const c1 = await push('polled', { 'a.yaml': 'kind: App\n' }, 'One');
    const seen: Array<[string, string | undefined]> = [];
    const poller = pollGitSource(source({ url: server.url('polled'), dir: '.' }), 60_000, (oid, previous) => {
      seen.push([oid, previous]);
    });
    try {
      expect(await poller.fetchNow()).toBe(c1);
      await poller.fetchNow();
      expect(seen).toEqual([[c1, undefined]]);

      const c2 = await push('polled', { 'a.yaml': 'kind: App\n# 2\n' }, 'Two');
      const burst = await Promise.all([poller.fetchNow(), poller.fetchNow(), poller.fetchNow()]);
      expect(burst).toEqual([c2, c2, c2]);
      expect(seen).toEqual([
        [c1, undefined],
        [c2, c1],
      ]);
      expect(poller.status()).toEqual({ oid: c2, error: undefined });
    } finally {
      await poller.stop();
    }
  });
});
