import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, codeBlocks, firstLine, markdownFiles, ROOT } from './markdown.js';

/**
 * The shell snippets of docs/ and README.md work as written. Every ```sh, ```bash, ```shell,
 * ```console, ```zsh or ```fish block is either run, or marked as not runnable here with a reason:
 * the info string `sh norun: <reason>` (GitHub shows it as sh), or a first line
 * `# norun: <reason>`. A mark without a reason fails, so a new snippet is never skipped silently.
 * Mark a block that needs root, Docker, systemd, the network, a server that is not running, or
 * that runs until stopped (`ploy serve`).
 *
 * The blocks of one page run in order with `bash -e` in one fresh temp directory, which is also
 * HOME, and each starts in the folder where the one before it ended (`ploy init demo && cd demo`
 * in one block, `ploy validate` in the next). `ploy` on PATH is this repo's bin/ploy.js, which
 * runs dist/ (`npm run build` first). DOCKER_HOST points nowhere, so no snippet reaches the
 * machine's Docker. A ```console block runs its `$ ` lines and ignores the output shown.
 */

const TIMEOUT_MS = 15_000;
const SHELL = /^(sh|bash|shell|console|zsh|fish)\b/;
const MARK = /(?:^|\s)norun\b:?\s*(.*)$/;

const isShell = (b: Block) => SHELL.test(b.info);
/** The reason a block is not run ('' when marked without one), or undefined when it is run. */
function notRun(b: Block): string | undefined {
  const inInfo = MARK.exec(b.info);
  if (inInfo) return inInfo[1].trim();
  const inText = /^#\s*norun\b:?\s*(.*)$/.exec(firstLine(b));
  return inText ? inText[1].trim() : undefined;
}
/** The commands of a block: a console block's `$ ` lines, any other block whole. */
const script = (b: Block) =>
  b.info.startsWith('console')
    ? b.text
        .split('\n')
        .filter((l) => l.startsWith('$ '))
        .map((l) => l.slice(2))
        .join('\n')
    : b.text;

interface Ran {
  code: number | null;
  output: string;
}

/** Runs a script with `bash -e` in cwd, stdout and stderr interleaved, killed after TIMEOUT_MS. */
function bash(text: string, cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn('bash', ['-e', '-c', text], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code, signal) =>
      done({ code, output: signal ? `${output}\n(killed by ${signal} after ${TIMEOUT_MS} ms)` : output }),
    );
  });
}

const pages = markdownFiles()
  .map((file) => ({ name: relative(ROOT, file), blocks: codeBlocks(readFileSync(file, 'utf8')).filter(isShell) }))
  .filter((p) => p.blocks.length > 0);

let bin: string;
const temps: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  bin = await mkdtemp(join(tmpdir(), 'ploy-docs-bin-'));
  temps.push(bin);
  await symlink(join(ROOT, 'bin/ploy.js'), join(bin, 'ploy'));
});
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

describe('the shell snippets in docs/ and README.md', () => {
  it('are told apart: run, or marked with a reason', () => {
    const md =
      '```sh\nls\n```\n```sh norun: needs Docker\ndocker ps\n```\n```bash\n# norun: a server\nploy serve\n```\n```console\n$ ploy --version\n0.1.0\n```\n```sh norun\nx\n```\n```yaml\na: 1\n```\n';
    const blocks = codeBlocks(md).filter(isShell);
    expect(blocks.map((b) => [b.line, notRun(b), script(b)])).toEqual([
      [2, undefined, 'ls\n'],
      [5, 'needs Docker', 'docker ps\n'],
      [8, 'a server', '# norun: a server\nploy serve\n'],
      [12, undefined, 'ploy --version'],
      [16, '', 'x\n'],
    ]);
  });

  for (const { name, blocks } of pages) {
    it(`${name}: every block not marked norun runs, in order, and each mark gives a reason`, async () => {
      const unexplained = blocks.filter((b) => notRun(b) === '').map((b) => `${name}:${b.line}: norun needs a reason`);
      expect(unexplained).toEqual([]);
      const runnable = blocks.filter((b) => notRun(b) === undefined);
      if (runnable.length === 0) return;
      const home = await mkdtemp(join(tmpdir(), 'ploy-docs-sh-'));
      temps.push(home);
      await mkdir(join(home, '.state'));
      const cwdFile = join(home, '.state/cwd');
      const env = {
        HOME: home,
        PATH: `${bin}:${process.env.PATH}`,
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        TMPDIR: tmpdir(),
      };
      let cwd = home;
      for (const b of runnable) {
        // Remember where the block ended, so the next one starts there, as in the reader's shell.
        const ran = await bash(`trap 'pwd > "${cwdFile}"' EXIT\n${script(b)}`, cwd, env);
        expect(ran.code === 0 ? '' : `${name}:${b.line}: exit ${ran.code}\n${ran.output}`).toBe('');
        cwd = (await readFile(cwdFile, 'utf8')).trim();
      }
    });
  }
});
