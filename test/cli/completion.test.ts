import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ploy } from '../support/cli.js';

/**
 * `ploy completion bash|zsh|fish`: each script parses in its shell and, driven in that shell,
 * offers the commands, flags and values of the command definitions. Debian's zsh and fish
 * (`apt-get install -y zsh fish`; .ci/run installs them).
 */

const SHELLS = ['bash', 'zsh', 'fish'] as const;
const scripts: Record<string, string> = {};

let dir: string;

function sh(shell: string, args: string[]) {
  const r = spawnSync(shell, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, HOME: dir } });
  if (r.error)
    throw new Error(`${shell} is required (apt-get install -y zsh fish); CI installs it in .ci/run: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ploy-completion-'));
  for (const shell of SHELLS) {
    const r = await ploy(['completion', shell], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = join(dir, `ploy.${shell}`);
    await writeFile(scripts[shell], r.stdout);
  }
});

/** What bash's completion function offers for a command line whose last word is being typed. */
function bashOffers(...line: string[]): string[] {
  const program = [
    `source ${scripts.bash}`,
    `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}`,
    // The function complete -p names is the one bash calls on TAB.
    `fn=$(complete -p ploy | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p'); "$fn" ploy; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  const r = sh('bash', ['-c', program]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

/** What zsh's function offers: the completion builtins it calls print what they were given. */
function zshOffers(...line: string[]): string[] {
  const program = [
    'compdef() { :; }', // compinit's, which needs a terminal
    `source ${scripts.zsh}`,
    'compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }',
    '_describe() { print -rl -- "${(@)${(@P)4}%%:*}"; }',
    '_files() { print -r -- "<files>"; }',
    `words=(${line.map((w) => `'${w}'`).join(' ')}); CURRENT=${line.length}`,
    '_ploy',
  ].join('\n');
  const r = sh('zsh', ['-f', '-c', program]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

/** What fish offers (its own `complete -C`), without the descriptions. */
function fishOffers(line: string): string[] {
  const r = sh('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C '${line}'`]);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]);
}

describe('ploy completion', () => {
  it.each(SHELLS)('writes a %s script that the shell parses', (shell) => {
    const r = sh(shell, ['-n', scripts[shell]]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('says how to install the script for each shell in its help', async () => {
    const r = await ploy(['completion', '--help'], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ploy completion bash > ~/.local/share/bash-completion/completions/ploy');
    expect(r.stdout).toContain('ploy completion zsh > ~/.zfunc/_ploy');
    expect(r.stdout).toContain('ploy completion fish > ~/.config/fish/completions/ploy.fish');
  });

  it('refuses a shell it has no script for', async () => {
    const r = await ploy(['completion', 'powershell'], { cwd: tmpdir() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it('registers a bash function that offers every command, then the flags of the command typed', () => {
    const commands = bashOffers('ploy', '');
    for (const c of ['validate', 'plan', 'apply', 'run', 'init', 'doctor', 'serve', 'completion']) expect(commands).toContain(c);
    expect(bashOffers('ploy', 'pl')).toEqual(['plan']);
    expect(bashOffers('ploy', '-')).toEqual(['-V', '--version', '-h', '--help']);
    expect(bashOffers('ploy', 'plan', '--')).toEqual(
      expect.arrayContaining(['--config', '--source', '--format', '--detailed-exitcode', '--base', '--head', '--out']),
    );
    expect(bashOffers('ploy', 'logs', 'web', '-')).toEqual(['-f', '--follow', '--tail', '--since', '--config', '-h', '--help']);
  });

  it("offers in bash a nested command's flags, an option's choices, and a command's argument choices", () => {
    expect(bashOffers('ploy', 'run', '')).toEqual(['job', 'help']);
    expect(bashOffers('ploy', 'monitors', 'push-urls', '--b')).toEqual(['--base-url']);
    expect(bashOffers('ploy', 'plan', '--format', '')).toEqual(['text', 'json', 'markdown']);
    expect(bashOffers('ploy', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // An option's value is not a command, and a free value or argument is left to file completion.
    expect(bashOffers('ploy', 'plan', '--out', 'plan', '--det')).toEqual(['--detailed-exitcode']);
    expect(bashOffers('ploy', 'plan', '--out', '')).toEqual([]);
    expect(bashOffers('ploy', 'completion', 'bash', '')).toEqual([]);
  });

  it('offers in zsh the same commands, flags and values', () => {
    expect(zshOffers('ploy', '')).toEqual(expect.arrayContaining(['validate', 'plan', 'serve', 'completion']));
    expect(zshOffers('ploy', 'run', '')).toEqual(['job', 'help']);
    expect(zshOffers('ploy', 'plan', '--')).toEqual(expect.arrayContaining(['--format', '--detailed-exitcode', '--out']));
    expect(zshOffers('ploy', 'plan', '--format', '')).toEqual(['text', 'json', 'markdown']);
    expect(zshOffers('ploy', 'plan', '--out', '')).toEqual(['<files>']);
    expect(zshOffers('ploy', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes ploy in zsh once compinit finds the script in $fpath, as its help says to install it', async () => {
    await mkdir(join(dir, 'zsh'), { recursive: true });
    await copyFile(scripts.zsh, join(dir, 'zsh', '_ploy'));
    const r = sh('zsh', [
      '-f',
      '-c',
      `fpath=(${dir}/zsh $fpath); autoload -Uz compinit && compinit -u -d ${dir}/.zcompdump; print -r -- $_comps[ploy]`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_ploy\n');
  });

  it('offers in fish the same commands, flags and values, and files only where a file may go', () => {
    expect(fishOffers('ploy ')).toEqual(expect.arrayContaining(['validate', 'plan', 'serve', 'completion']));
    expect(fishOffers('ploy ')).not.toContain('package.json');
    expect(fishOffers('ploy run ').sort()).toEqual(['help', 'job']);
    expect(fishOffers('ploy plan --')).toEqual(expect.arrayContaining(['--format', '--detailed-exitcode', '--out']));
    expect(fishOffers('ploy plan --format ').sort()).toEqual(['json', 'markdown', 'text']);
    expect(fishOffers('ploy completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(fishOffers('ploy completion bash ')).toEqual([]);
    expect(fishOffers('ploy init ')).toEqual(expect.arrayContaining(['ploy.bash', 'ploy.fish', 'ploy.zsh']));
  });
});
