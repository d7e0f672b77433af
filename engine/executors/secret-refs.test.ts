import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Sensitive, type SensitivePart } from '../model/sensitive.js';
import { argvByReference, jobArgv, SecretEnv, shellTextByReference } from './secret-refs.js';

/** Quotes, a command substitution, a backquote, a variable, a glob, a newline and a backslash. */
const HOSTILE = 'it\'s "q" $(touch /tmp/ploy-pwned) `id` $HOME *\nline 2\\';

/** `template` with `${secret:NAME}` resolved from `secrets` (and `$${` as `${`), as interpolation builds it. */
function command(template: string, secrets: Record<string, string>): Sensitive {
  const parts: SensitivePart[] = [];
  const refs: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\$\$\{|\$\{secret:(\w+)\}/g)) {
    parts.push(template.slice(last, m.index));
    if (m[1]) {
      refs.push(m[1]);
      parts.push({ secret: m[1], value: secrets[m[1]] });
    } else parts.push('${');
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  const merged = parts.filter((p) => p !== '');
  const value = merged.map((p) => (typeof p === 'string' ? p : p.value)).join('');
  return new Sensitive(value, template, refs, merged);
}

/** The shells these run in: dash is Debian's /bin/sh, busybox ash is the test image's. */
const SHELLS: Array<[string, string[]]> = [
  ['dash', ['/bin/sh']],
  ['bash', ['bash', '--norc', '--noprofile']],
  ['busybox ash', ['busybox', 'sh']],
].filter(([, [bin]]) => bin !== 'bash' || fs.existsSync('/usr/bin/bash') || fs.existsSync('/bin/bash')) as Array<
  [string, string[]]
>;

function run(shell: string[], text: string, env: Record<string, string>): string {
  const r = spawnSync(shell[0], [...shell.slice(1), '-c', text], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return r.stdout + r.stderr;
}

/** Runs `template` by reference in every shell; returns what each printed, and checks the text holds no value. */
function byReference(template: string, secrets: Record<string, string>, shells = SHELLS): string[] {
  const env = new SecretEnv();
  const text = shellTextByReference(command(template, secrets), env);
  if ('error' in text) throw new Error(text.error);
  for (const v of Object.values(secrets)) expect(text.value).not.toContain(v);
  return shells.map(([, shell]) => run(shell, text.value, env.env));
}

const V = HOSTILE;

describe('shellTextByReference (run in dash, bash and busybox ash)', () => {
  it('passes a secret in a word as one argument, not split or globbed, with text next to it', () => {
    for (const out of byReference("printf '%s|' ${secret:V} --token=${secret:V}x", { V })) {
      expect(out).toBe(`${V}|--token=${V}x|`);
    }
  });

  it('passes a secret inside double quotes and inside single quotes', () => {
    for (const out of byReference(`printf '%s|' "Bearer \${secret:V} end" 'Bearer \${secret:V} end'`, { V })) {
      expect(out).toBe(`Bearer ${V} end|Bearer ${V} end|`);
    }
  });

  it('passes several secrets, side by side and in different quotes, each by its own variable', () => {
    const secrets = { A: V, B: 'b-value' };
    const env = new SecretEnv();
    const text = shellTextByReference(
      command(`printf '%s|' \${secret:A}\${secret:B} "\${secret:A}" '\${secret:B}'`, secrets),
      env,
    );
    expect(text).toEqual({
      value: `printf '%s|' "\${PLOY_SECRET_REF_A}""\${PLOY_SECRET_REF_B}" "\${PLOY_SECRET_REF_A}" ''"\${PLOY_SECRET_REF_B}"''`,
    });
    expect(env.env).toEqual({ PLOY_SECRET_REF_A: V, PLOY_SECRET_REF_B: 'b-value' });
    for (const out of byReference(`printf '%s|' \${secret:A}\${secret:B} "\${secret:A}" '\${secret:B}'`, secrets)) {
      expect(out).toBe(`${V}b-value|${V}|b-value|`);
    }
  });

  it('passes a secret inside a here-document, and in the command after it', () => {
    const template = "cat <<EOF\nkey: '${secret:V}'\nEOF\nprintf '%s|' '${secret:V}'";
    for (const out of byReference(template, { V })) expect(out).toBe(`key: '${V}'\n${V}|`);
  });

  it('refuses a secret inside a here-document whose delimiter is quoted, where nothing expands', () => {
    const text = shellTextByReference(command("cat <<'EOF'\n${secret:V}\nEOF", { V }), new SecretEnv());
    expect(text).toEqual({
      error: expect.stringContaining("secret V is inside a here-document with a quoted delimiter (<<'EOF')"),
    });
  });

  it('passes secrets inside $(…), ${…:-…} and arithmetic, and ignores them in comments', () => {
    const template =
      `printf '%s|' "$(printf '%s' '\${secret:V}')" "\${UNSET_X:-\${secret:V}}" \${UNSET_X:-\${secret:V}} $((\${secret:N} + 1))` +
      ` # it's \${secret:V}\necho done`;
    for (const out of byReference(template, { V, N: '41' })) expect(out).toBe(`${V}|${V}|${V}|42|done\n`);
  });

  it('keeps `$${` as a literal `${`, which the shell reads as written', () => {
    for (const out of byReference(`UNSET_Y=y; printf '%s|' '$\${UNSET_Y}' "$\${UNSET_Y}" \${secret:V}`, { V })) {
      expect(out).toBe(`\${UNSET_Y}|y|${V}|`);
    }
  });

  it('passes the value as it is after a backslash (it was always literal)', () => {
    for (const out of byReference(`printf '%s|' \\\${secret:V} "\\\${secret:V}"`, { V })) expect(out).toBe(`${V}|${V}|`);
  });

  it("passes a secret inside $'…' where the shell has it (bash, busybox ash)", () => {
    const shells = SHELLS.filter(([name]) => name !== 'dash');
    for (const out of byReference(`printf '%s|' $'tab\\t\${secret:V}\\'s'`, { V }, shells)) expect(out).toBe(`tab\t${V}'s|`);
  });

  it('names one variable per secret, made safe for the shell and unique', () => {
    const env = new SecretEnv();
    expect(env.variable('db.password', 'a')).toBe('PLOY_SECRET_REF_db_password');
    expect(env.variable('db_password', 'b')).toBe('PLOY_SECRET_REF_db_password_2');
    expect(env.variable('db.password', 'a')).toBe('PLOY_SECRET_REF_db_password');
    expect(env.env).toEqual({ PLOY_SECRET_REF_db_password: 'a', PLOY_SECRET_REF_db_password_2: 'b' });
  });

  it('returns text without secrets as it is', () => {
    expect(shellTextByReference('echo \'a\' "$HOME"', new SecretEnv())).toEqual({ value: 'echo \'a\' "$HOME"' });
  });
});

describe('argvByReference and jobArgv', () => {
  it("rewrites a shell's -c text by reference and passes other arguments as the list says", () => {
    const env = new SecretEnv();
    const argv = argvByReference(
      ['/bin/sh', '-ec', command("printf '%s' '${secret:V}'", { V }), 'arg0', command('--key=${secret:K}', { K: 'k-value' })],
      env,
    );
    expect(argv).toEqual({ value: ['/bin/sh', '-ec', `printf '%s' ''"\${PLOY_SECRET_REF_V}"''`, 'arg0', '--key=k-value'] });
    expect(env.env).toEqual({ PLOY_SECRET_REF_V: V });
  });

  it('runs a string command through sh -c with stderr joined to stdout', () => {
    const env = new SecretEnv();
    expect(jobArgv(command('echo ${secret:V}', { V }), env)).toEqual({
      value: ['sh', '-c', 'exec 2>&1\necho "${PLOY_SECRET_REF_V}"'],
    });
    expect(jobArgv(['true'], env)).toEqual({ value: ['true'] });
  });
});

describe('shellTextByReference on generated commands', () => {
  /** A small seeded generator (mulberry32), so a failure names a reproducible case. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Words nested in every quoting the scanner knows, each holding text and secrets. */
  function word(r: () => number, depth: number): string {
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const inner = () => (depth > 2 ? pick(['x', '${secret:A}', 'y${secret:B}z']) : word(r, depth + 1));
    const plain = () => pick(['t', '${secret:A}', '-${secret:B}-', '${secret:A}${secret:B}', "it''s"]);
    switch (Math.floor(r() * 8)) {
      case 0:
        return `"${pick(['a ', "it's ", '$HOME_UNSET '])}${pick(['${secret:A}', '${secret:B}'])}"`;
      case 1:
        return `'q ${pick(['${secret:A}', '"${secret:B}"'])}'`;
      case 2:
        return `"$(printf %s ${inner()})"`;
      case 3:
        return `$(printf %s ${inner()})`;
      case 4:
        return `"\${UNSET_Z:-${pick(['${secret:A}', 'd'])}}"`;
      case 5:
        return `\`printf %s ${pick(['${secret:B}', "'${secret:A}'"])}\``;
      case 6:
        return `$((${pick(['${secret:N}', '2'])} * 3))`;
      default:
        return plain();
    }
  }

  it('runs each as the same command with the values pasted in would (values without special characters)', () => {
    // With plain values pasting is correct, so it is the oracle for what each reference must mean.
    const secrets = { A: 'alpha', B: 'beta', N: '7' };
    const r = random(18);
    for (let n = 0; n < 150; n++) {
      const lines = [
        `printf '[%s]' ${word(r, 0)} ${word(r, 0)}`,
        r() < 0.3 ? `cat <<EOF\nh ${word(r, 0)} "\${secret:A}" '\${secret:B}'\nEOF` : `# it's \${secret:A}`,
        `printf '<%s>' ${word(r, 0)}`,
      ];
      const template = lines.join('\n');
      const pasted = command(template, secrets).reveal();
      const env = new SecretEnv();
      const text = shellTextByReference(command(template, secrets), env);
      if ('error' in text) throw new Error(text.error);
      const expected = run(['/bin/sh'], pasted, {});
      expect(expected).toMatch(/<[^<>]*>$/); // it ran to its last line
      expect({ template, out: run(['/bin/sh'], text.value, env.env) }).toEqual({ template, out: expected });
    }
  });
});
