import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Dockerode from 'dockerode';
import type { TestContext } from 'vitest';

/** The daemon the tests use: DOCKER_HOST when set (as for the docker CLI), else the default socket. */
export function testDockerHost(): string {
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** A dockerode client for test setup and cleanup, independent of the adapter under test. */
export function testDocker(): Dockerode {
  return new Dockerode(); // dockerode reads DOCKER_HOST itself, as testDockerHost does.
}

let unavailable: Promise<string | undefined> | undefined;

/** Why Docker tests cannot run here, or undefined when a daemon answers. Asked once per process. */
export function dockerUnavailableReason(): Promise<string | undefined> {
  unavailable ??= (async () => {
    try {
      await (testDocker() as unknown as { ping(o: object): Promise<unknown> }).ping({
        abortSignal: AbortSignal.timeout(3000),
      });
      return undefined;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const reason = `Docker is not available at ${testDockerHost()} (${why.trim()}); start dockerd, see .ci/docker.sh`;
      if (!process.env.CI) console.warn(`\n!!! ${reason}: the tests that need Docker are SKIPPED\n`);
      return reason;
    }
  })();
  return unavailable;
}

/** Whether a Docker daemon answers. For guarding setup in `beforeAll`. */
export async function dockerAvailable(): Promise<boolean> {
  return (await dockerUnavailableReason()) === undefined;
}

/**
 * For `beforeEach`: skips the running test with the reason when no daemon answers, except in CI
 * (`CI` set), where Docker is required and its absence fails the test instead.
 */
export async function requireDocker(ctx: TestContext): Promise<void> {
  const reason = await dockerUnavailableReason();
  if (!reason) return;
  if (process.env.CI) throw new Error(`CI requires Docker: ${reason}`);
  ctx.skip(reason);
}

/** Applets linked into the test image. Debian's static busybox `wget` crashes, so it is left out. */
const APPLETS = ['sh', 'httpd', 'nc', 'sleep', 'echo', 'cat', 'ls', 'mkdir', 'printf', 'true', 'false', 'env', 'rm'];

const imports = new Map<string, Promise<void>>();

/** Imports an image once per process (two processes racing import the same content: harmless). */
function importOnce(tag: string, make: () => Promise<void>): Promise<void> {
  let done = imports.get(tag);
  if (!done) {
    done = make();
    imports.set(tag, done);
    done.catch(() => imports.delete(tag));
  }
  return done;
}

/**
 * Makes sure the offline test image exists: a rootfs of Debian's static `/bin/busybox` plus
 * applet symlinks, tarred and piped into `docker import` (nothing can be pulled here).
 */
export function ensureTestImage(tag = 'ploy-test/busybox:1'): Promise<void> {
  return importOnce(tag, async () => {
    const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
    if (!busybox) throw new Error('busybox is not installed: apt-get install busybox-static');
    await importRootfs(
      tag,
      (root) => {
        fs.mkdirSync(path.join(root, 'bin'));
        fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
        fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
        for (const applet of APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
      },
      ['ENV PATH=/bin', 'CMD ["sh"]'],
    );
  });
}

/**
 * An offline Caddy image for the managed-Caddy tests: Debian's `/usr/bin/caddy` with the shared
 * libraries `ldd` lists for it, at their paths (the official image cannot be pulled here).
 */
export function ensureCaddyImage(tag = 'ploy-test/caddy:2'): Promise<void> {
  return importOnce(tag, async () => {
    if (!fs.existsSync('/usr/bin/caddy')) throw new Error('caddy is not installed: apt-get install caddy');
    const libs = execFileSync('ldd', ['/usr/bin/caddy'], { encoding: 'utf8' })
      .split('\n')
      .flatMap((line) => /(\/\S+) \(0x/.exec(line)?.[1] ?? []);
    await importRootfs(
      tag,
      (root) => {
        for (const file of ['/usr/bin/caddy', ...libs]) {
          const to = path.join(root, file);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(fs.realpathSync(file), to);
          fs.chmodSync(to, 0o755);
        }
      },
      ['ENV PATH=/usr/bin', 'CMD ["caddy", "run"]'],
    );
  });
}

async function importRootfs(tag: string, fill: (root: string) => void, changes: string[]): Promise<void> {
  const docker = testDocker();
  const present = await docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      (err: { statusCode?: number }) => {
        if (err.statusCode === 404) return false;
        throw err;
      },
    );
  if (present) return;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-test-rootfs-'));
  try {
    fs.mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
    fill(root);
    const tar = spawn('tar', ['-C', root, '--owner=0', '--group=0', '--numeric-owner', '-c', '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const colon = tag.lastIndexOf(':');
    const response = await docker.importImage(tar.stdout, { repo: tag.slice(0, colon), tag: tag.slice(colon + 1), changes });
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      response.on('data', (c: Buffer) => {
        text += c.toString();
      });
      response.on('end', () => resolve(text));
      response.on('error', reject);
    });
    if (out.includes('"error"')) throw new Error(`docker import ${tag} failed: ${out}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Force-removes every container, network, volume and image labelled `label=value`, in that order. */
export async function removeLabelled(label: string, value: string): Promise<void> {
  const docker = testDocker();
  const filters = { label: [`${label}=${value}`] };
  const quiet = () => {};
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(quiet);
  }
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(quiet);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker.getVolume(v.Name).remove().catch(quiet);
  }
  for (const i of await docker.listImages({ filters })) await docker.getImage(i.Id).remove({ force: true }).catch(quiet);
}

/** A registry on loopback (which dockerd trusts over plain HTTP) serving two images. */
export interface FakeRegistry {
  /** `127.0.0.1:port`, to put before an image name. */
  host: string;
  /** A pullable one-layer image (nothing runnable inside). */
  goodRef: string;
  /** An image whose layer does not match its digest: the daemon reports that inside the pull stream. */
  brokenRef: string;
  /** The digest of the good image's manifest, as `docker pull` prints it. */
  goodDigest: string;
  /** Each request with whether it carried the right credentials. */
  requests: Array<{ method: string; url: string; authorized: boolean }>;
  stop(): Promise<void>;
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface RegistryImage {
  manifest: Buffer;
  blobs: Map<string, Buffer>;
  layerDigest: string;
}

/** A schema 2 image of one gzipped layer holding `hello.txt` with `content`. */
function registryImage(content: string): RegistryImage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-registry-layer-'));
  fs.writeFileSync(path.join(dir, 'hello.txt'), content);
  const tar = execFileSync('tar', ['-C', dir, '--owner=0', '--group=0', '--mtime=@0', '-c', 'hello.txt']);
  fs.rmSync(dir, { recursive: true, force: true });
  const layer = gzipSync(tar);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const config = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: sha256(config),
      },
      layers: [
        {
          mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: layer.length,
          digest: sha256(layer),
        },
      ],
    }),
  );
  return {
    manifest,
    blobs: new Map([
      [sha256(config), config],
      [sha256(layer), layer],
    ]),
    layerDigest: sha256(layer),
  };
}

/**
 * Starts a minimal Docker Registry v2 over HTTP. With `auth`, every request needs those Basic
 * credentials (401 with a challenge otherwise), so a pull proves the runtime passed them.
 */
export async function startFakeRegistry(auth?: { username: string; password: string }): Promise<FakeRegistry> {
  const good = registryImage('hello from the fake registry\n');
  // Its own layer: a layer the daemon already has (from the good image) would not be downloaded.
  const broken = registryImage('this layer never arrives intact\n');
  const images: Record<string, RegistryImage> = { good, broken };
  const expected = auth && `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const requests: FakeRegistry['requests'] = [];

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const authorized = !expected || req.headers.authorization === expected;
    requests.push({ method: req.method ?? '', url, authorized });
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const send = (status: number, body: Buffer, type = 'application/octet-stream') => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!authorized) {
      res.setHeader('WWW-Authenticate', 'Basic realm="ploy-test"');
      return send(401, Buffer.from('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'));
    }
    if (url === '/v2/') return send(200, Buffer.from('{}'), 'application/json');
    const m = /^\/v2\/(good|broken)\/app\/(manifests|blobs)\/([^/]+)$/.exec(url);
    const image = m && images[m[1]!];
    if (image && m[2] === 'manifests') {
      res.setHeader('Docker-Content-Digest', sha256(image.manifest));
      return send(200, image.manifest, 'application/vnd.docker.distribution.manifest.v2+json');
    }
    const body = m ? image?.blobs.get(m[3]!) : undefined;
    if (body) {
      // The broken image's layer has the right size and the wrong bytes.
      const wrong = image === broken && m?.[3] === image.layerDigest;
      return send(200, wrong ? Buffer.alloc(body.length, 7) : body);
    }
    send(404, Buffer.from('{"errors":[{"code":"NAME_UNKNOWN","message":"not here"}]}'), 'application/json');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    goodRef: `${host}/good/app:1`,
    brokenRef: `${host}/broken/app:1`,
    goodDigest: sha256(good.manifest),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
