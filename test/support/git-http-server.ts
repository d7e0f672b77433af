import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real smart-HTTP git server (`git http-backend` as CGI) on loopback, for tests. */
export interface GitServer {
  /** Clone URL of a repository, without credentials. */
  url(repo: string): string;
  /** Clone URL with the server's user name and password in it (for the git CLI). */
  urlWithCredentials(repo: string): string;
  /** Creates an empty bare repository that accepts pushes over HTTP; returns its path. */
  createRepo(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `git http-backend` behind a Node HTTP server. With `username` and `password` every
 * request needs them (HTTP basic auth): a missing or wrong one gets 401 and WWW-Authenticate,
 * like GitHub and GitLab answer for a private repository. `onRequest` sees every request (a
 * fetch starts with `GET /<repo>.git/info/refs?service=git-upload-pack`).
 */
export async function startGitServer(
  opts: { username?: string; password?: string; onRequest?: (method: string, url: URL) => void } = {},
): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), 'ploy-git-server-'));
  const server = createServer((req, res) => {
    opts.onRequest?.(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
    const user = authenticate(req, opts);
    if (user === false) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      res.end('Authentication required\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    serveCgi(root, req, res, url, user);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const withName = (repo: string) => (repo.endsWith('.git') ? repo : `${repo}.git`);
  const creds = opts.username ? `${encodeURIComponent(opts.username)}:${encodeURIComponent(opts.password ?? '')}@` : '';

  return {
    url: (repo) => `${base}/${withName(repo)}`,
    urlWithCredentials: (repo) => `http://${creds}127.0.0.1:${port}/${withName(repo)}`,
    async createRepo(name) {
      const path = join(root, withName(name));
      await run('git', ['init', '--quiet', '--bare', path], { env: gitEnv() });
      // http-backend refuses pushes from an unauthenticated user unless receivepack is on.
      await run('git', ['-C', path, 'config', 'http.receivepack', 'true'], { env: gitEnv() });
      // HEAD names the branch the tests push, so a clone without a ref gets it.
      await run('git', ['-C', path, 'symbolic-ref', 'HEAD', 'refs/heads/main'], { env: gitEnv() });
      return path;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The user a request authenticated as; undefined when the server needs none; false when refused. */
function authenticate(req: IncomingMessage, opts: { username?: string; password?: string }): string | undefined | false {
  if (opts.username === undefined) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon >= 0 && user === opts.username && pass === (opts.password ?? '') ? user : false;
}

/** Runs one request through `git http-backend` per the CGI/1.1 contract, streaming both ways. */
function serveCgi(root: string, req: IncomingMessage, res: ServerResponse, url: URL, user: string | undefined): void {
  const env: NodeJS.ProcessEnv = {
    ...gitEnv(),
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // Started as root the repo may look foreign to git (as it does to a CGI run as nobody).
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    GATEWAY_INTERFACE: 'CGI/1.1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (user !== undefined) env.REMOTE_USER = user;
  // Protocol v2 and gzip'd request bodies are announced in headers http-backend reads as HTTP_*.
  if (req.headers['git-protocol']) env.HTTP_GIT_PROTOCOL = String(req.headers['git-protocol']);
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);

  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined); // the backend may answer (and exit) before reading it all
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = findHeaderEnd(head);
    if (!end) return;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end.at + end.length));
  });
  child.on('close', (code) => {
    if (!headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.write(`git http-backend exited with ${code}: ${stderr}`);
    }
    res.end();
  });
  res.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
}

function findHeaderEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, length: 4 };
  return lf >= 0 ? { at: lf, length: 2 } : undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}

/** The git CLI isolated from this machine's config, and never prompting for a password. */
function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** Who made a test commit. */
export interface TestAuthor {
  name: string;
  email: string;
}

/**
 * Commits `files` (path → content; null deletes it) on `branch` of the repository at a URL or
 * path, with the git CLI in a temporary work tree, and pushes it. Returns the new commit's SHA.
 */
export async function pushFiles(
  repo: string,
  files: Record<string, string | null>,
  message: string,
  branch = 'main',
  author: TestAuthor = { name: 'Ploy Test', email: 'test@ploy.invalid' },
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'ploy-git-push-'));
  const env = gitEnv({
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  });
  const git = (...args: string[]) => run('git', ['-C', work, ...args], { env }).then((r) => r.stdout.trim());
  try {
    await git('init', '--quiet', '--initial-branch', branch);
    await git('remote', 'add', 'origin', repo);
    const exists = (await git('ls-remote', '--heads', 'origin', branch)) !== '';
    if (exists) {
      await git('fetch', '--quiet', 'origin', branch);
      await git('reset', '--quiet', '--hard', 'FETCH_HEAD');
    }
    for (const [path, content] of Object.entries(files)) {
      if (content === null) await rm(join(work, path), { force: true });
      else {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), content);
      }
    }
    await git('add', '--all');
    await git('commit', '--quiet', '--allow-empty', '--message', message);
    await git('push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    return await git('rev-parse', 'HEAD');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Pushes an annotated tag (or a lightweight one with `message` null) at the tip of `branch`. */
export async function pushTag(
  repo: string,
  tag: string,
  branch = 'main',
  message: string | null = `Release ${tag}`,
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ploy-git-tag-'));
  const env = gitEnv({ GIT_COMMITTER_NAME: 'Ploy Test', GIT_COMMITTER_EMAIL: 'test@ploy.invalid' });
  const git = (...args: string[]) => run('git', ['-C', work, ...args], { env });
  try {
    await git('init', '--quiet');
    await git('fetch', '--quiet', repo, branch);
    await git('tag', ...(message === null ? [tag] : ['--annotate', '--message', message, tag]), 'FETCH_HEAD');
    await git('push', '--quiet', repo, `refs/tags/${tag}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
