import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeDir, writeFiles } from '../support/cli.js';
import { freePort } from '../support/caddy.js';
import { ensureTestImage, removeLabelled, requireDocker, testDocker, testDockerHost } from '../support/docker.js';
import { logLines, serve, until } from '../support/serve-process.js';

/**
 * What a new user meets in the first hour, through a real `ploy serve`: Docker started after the
 * engine, an app that cannot start, and a file broken by a typo. The log alone must say what is
 * wrong and where (the quickstart's own first minute: first-hour-quickstart.test.ts).
 */

const WARN = 40;
const ERROR = 50;
const children: Array<{ kill(): boolean }> = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const c of children) c.kill();
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe('ploy serve when Docker starts later, and when a file breaks', () => {
  const app = `first-hour-${process.pid}`;
  beforeEach((ctx) => requireDocker(ctx));
  afterAll(async () => {
    await removeLabelled('ploy.app', app);
    await removeLabelled('ploy.app', `${app}-x`);
  });

  it('deploys the pending app once Docker answers, and logs a broken file with its line', async () => {
    await ensureTestImage();
    const port = await freePort();
    const dir = await makeDir({
      'ploy.config.yaml': `source: {path: ./src}\nstore: {url: embedded}\napi: {listen: "127.0.0.1:${port}"}\n`,
      'src/app.yaml': `kind: App\nname: ${app}\nimage: ploy-test/busybox:1\ncommand: ["sleep", "3600"]\n`,
    });
    const socket = join(dir, 'docker.sock');
    const engine = serve(dir, { DOCKER_HOST: `unix://${socket}` });
    children.push(engine);
    await until('the app to wait for Docker', async () =>
      logLines(engine.output()).some((l) => l.msg.startsWith(`App/${app}: not deployed yet: Docker is not reachable`)),
    );

    // Docker "starts": the socket the engine was told about now leads to the real daemon.
    const daemon = testDockerHost().replace(/^unix:\/\//, '');
    const proxy = createServer((client) => {
      const upstream = createConnection(daemon);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(socket, r));
    const running = await until(
      'the app to be deployed',
      async () => {
        const list = await testDocker().listContainers({ filters: { label: [`ploy.app=${app}`] } });
        return list.find((c) => c.State === 'running');
      },
      45_000,
    );
    expect(running.Labels['ploy.app']).toBe(app);

    // A second app that cannot start: its failed change is logged as an error, with why.
    await writeFiles(join(dir, 'src'), {
      'broken-app.yaml': `kind: App\nname: ${app}-x\nimage: ploy-test/busybox:1\ncommand: ["false"]\nupdate: {monitor: 1s}\n`,
    });
    const failed = await until('the failed deploy to be logged', async () =>
      logLines(engine.output()).find((l) => l.msg.startsWith(`App/${app}-x: `) && l.level >= ERROR),
    );
    expect(failed.msg).toMatch(/crash-looping.*nothing left running/);
    expect(logLines(engine.output()).find((l) => l.msg === 'applied' && l.level >= ERROR)).toMatchObject({ status: 'failed' });

    await writeFiles(join(dir, 'src'), {
      'broken.yaml': 'kind: Job\nname: nightly\nschedule: "61 * * * *"\nshell: {command: x}\n',
    });
    const diagnostic = await until('the broken file to be logged', async () =>
      logLines(engine.output()).find((l) => l.msg.startsWith('broken.yaml:3:')),
    );
    expect(diagnostic).toMatchObject({ level: WARN, code: 'invalid-schedule' });
    expect(logLines(engine.output()).some((l) => l.level === WARN && l.msg.startsWith('revision is invalid'))).toBe(true);
    engine.kill();
  }, 120_000);
});
