import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import type { CliDeps } from '../../engine/cli/deps.js';
import { runCli } from '../../engine/cli/run.js';
import { realDeps } from '../../engine/main.js';
import type { ContainerRuntime } from '../../engine/ports/container-runtime.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';

/**
 * A Docker Engine with nothing on it whose registry cannot be reached: the app's deploy fails
 * at the pull, which raises deploy.failed. (No daemon is needed for what this tests: delivery.)
 */
const emptyDocker = new Proxy({} as ContainerRuntime, {
  get(_, method: string) {
    if (method === 'then') return undefined;
    if (method === 'pullImage') return async () => Promise.reject(new Error('registry unreachable: no network here'));
    if (method === 'imageExists') return async () => false;
    if (method === 'inspectImage') return async () => undefined;
    if (method === 'info') return async () => ({ swarm: false });
    return async () => (method.startsWith('list') ? [] : undefined);
  },
});

const received: Array<{ path: string; auth?: string; body: Record<string, unknown> }> = [];
let base: string;
let endpoint: http.Server;
beforeAll(async () => {
  endpoint = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.url === '/slow') return; // never answers: a channel slower than the command's deadline
      received.push({ path: req.url!, auth: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(req.url === '/broken' ? 404 : 200).end();
    });
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
});
afterAll(() => {
  endpoint.closeAllConnections();
  return new Promise((r) => endpoint.close(r));
});

async function apply(cwd: string, deadlineMs = 10_000) {
  let stdout = '';
  const deps: CliDeps = {
    ...realDeps(),
    containers: async () => emptyDocker,
    proxy: undefined,
    notificationDeadlineMs: deadlineMs,
    cwd,
    env: { PATH: process.env.PATH },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stdout += s), isTTY: false },
    interactive: false,
    confirm: async () => false,
  };
  const code = await runCli(['apply', '--auto-approve'], deps);
  return { code, stdout };
}

const project = (channels: string) => ({
  'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
  'secrets/HOOK_TOKEN': 'hook-s3cret-value\n',
  'repo/web.yaml': 'kind: App\nname: web\nimage: registry.invalid/web:1\n',
  'repo/channels.yaml': channels,
});

describe('ploy apply delivers the events it raises', () => {
  it('sends deploy.failed to the default channel before exiting, secret header included, and records the delivery', async () => {
    received.length = 0;
    const cwd = await makeDir(
      project(`kind: Notification
name: ops
webhook: {url: "${base}/ops", headers: {Authorization: "Bearer \${secret:HOOK_TOKEN}"}}
default: true
`),
    );
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const r = await apply(cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Notifications: 1 delivered.');
    expect(r.stdout).not.toContain('hook-s3cret-value');
    expect(received).toEqual([
      { path: '/ops', auth: 'Bearer hook-s3cret-value', body: expect.objectContaining({ event: 'deploy.failed' }) },
    ]);
    const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
    try {
      expect(await store.listDeliveries()).toEqual([expect.objectContaining({ notification: 'ops', status: 'delivered' })]);
    } finally {
      await store.close();
    }
  });

  it('says which channel failed and which was too slow, leaves the slow one for ploy serve, and exits within its deadline', async () => {
    received.length = 0;
    const cwd = await makeDir(
      project(`kind: Notification
name: broken
webhook: {url: "${base}/broken"}
default: true
---
kind: Notification
name: slow
webhook: {url: "${base}/slow"}
default: true
`),
    );
    await seedEmbeddedStore(join(cwd, '.ploy'));
    const started = Date.now();
    const r = await apply(cwd, 1500);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stdout).toMatch(/deploy\.failed to broken failed: [^;]*404/);
    expect(r.stdout).toMatch(/deploy\.failed to slow not delivered within 2s \([^)]*\); ploy serve retries it/);
    const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
    try {
      const rows = await store.listDeliveries();
      expect(rows.find((d) => d.notification === 'broken')?.status).toBe('failed');
      expect(rows.find((d) => d.notification === 'slow')?.status).toBe('retrying');
    } finally {
      await store.close();
    }
  }, 30_000);
});
