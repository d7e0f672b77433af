import { isSensitive, type Sensitive } from '../model/sensitive.js';
import { type QuotingAt, quotingAt } from './shell-quoting.js';

/** A command as a job or an app declares it: shell text, or a list run without a shell. */
export type CommandSpec = string | Sensitive | ReadonlyArray<string | Sensitive>;

/** A command ready for a process or Docker, or why its secrets cannot be passed by reference. */
export type ByReference<T> = { value: T } | { error: string };

/**
 * The variables that carry a command's secrets into its process, one per secret name
 * (`${secret:API_TOKEN}` → `PLOY_SECRET_REF_API_TOKEN`). Shared by the commands of one job or
 * app, so that a secret used twice is one variable.
 */
export class SecretEnv {
  /** Variable → secret value: what the process's environment gets beside its own. */
  readonly env: Record<string, string> = {};
  readonly #names = new Map<string, string>();

  /** The variable that carries `secret`; its value is recorded in `env`. */
  variable(secret: string, value: string): string {
    let name = this.#names.get(secret);
    if (name === undefined) {
      const base = `PLOY_SECRET_REF_${secret.replace(/[^A-Za-z0-9_]/g, '_')}`;
      name = base;
      // `a.b` and `a_b` would both be PLOY_SECRET_REF_a_b.
      for (let n = 2; name in this.env; n++) name = `${base}_${n}`;
      this.#names.set(secret, name);
    }
    this.env[name] = value;
    return name;
  }
}

/** Stands for a secret while the text is scanned: no here-document delimiter holds it. */
const PLACEHOLDER = '\u0001';

/**
 * Shell text in which every `${secret:…}` is a reference to a variable of `env`, quoted for
 * where it stands, so the shell reads the value from its environment with the meaning it had
 * when pasted: `"${V}"` in a word (not split or globbed), `${V}` inside double quotes or a
 * here-document, `'"${V}"'` inside single quotes. Plain text is returned as it is.
 */
export function shellTextByReference(command: string | Sensitive, env: SecretEnv): ByReference<string> {
  if (!isSensitive(command)) return { value: command };
  const parts = command.revealParts();
  let scanned = '';
  const offsets: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') scanned += part;
    else {
      offsets.push(scanned.length);
      scanned += PLACEHOLDER;
    }
  }
  const at = quotingAt(scanned, offsets);
  let text = '';
  let k = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const ref = reference(env.variable(part.secret, part.value), at[k++]);
    if (ref === undefined) {
      return {
        error:
          `secret ${part.secret} is inside a here-document with a quoted delimiter (<<'EOF'), where no variable ` +
          `expands, so it cannot be passed by reference: write the delimiter unquoted (<<EOF)`,
      };
    }
    text += ref;
  }
  return { value: text };
}

/** How a variable is written at a quoting state to mean exactly its value; undefined where it cannot be. */
export function reference(variable: string, at: QuotingAt): string | undefined {
  // A backslash waiting for the secret's first character: a newline after it makes a line
  // continuation, which the shell removes, so the value (always literal) is not touched.
  const lead = at.escaped ? (at.quoting === 'dollar-single' ? '\\' : '\n') : '';
  switch (at.quoting) {
    case 'comment':
      return `"\${${variable}}"`;
    case 'unquoted':
      return `${lead}"\${${variable}}"`;
    case 'double':
    case 'heredoc':
      return `${lead}\${${variable}}`;
    case 'single':
      return `'"\${${variable}}"'`;
    case 'dollar-single':
      return `${lead}'"\${${variable}}"$'`;
    case 'quoted-heredoc':
      return undefined;
  }
}

/** Basenames of the shells whose `-c` text is rewritten like a string command's. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'ksh', 'mksh', 'zsh']);
const SHELL_C = /^-[A-Za-z]*c$/;

/**
 * A list command for a process: a shell's `-c` text (`[sh, -c, TEXT, …]`) passes its secrets
 * by reference as a string command does. Any other element that holds a secret is that
 * program's argument, as the list says: its value is in the program's own argv (and process
 * list entry), which no wrapper can avoid; pass such a value through the environment instead.
 */
export function argvByReference(command: ReadonlyArray<string | Sensitive>, env: SecretEnv): ByReference<string[]> {
  const program = command[0] === undefined ? '' : String(isSensitive(command[0]) ? '' : command[0]);
  const script = SHELLS.has(program.slice(program.lastIndexOf('/') + 1)) && SHELL_C.test(String(command[1])) ? 2 : -1;
  const argv: string[] = [];
  for (let i = 0; i < command.length; i++) {
    const arg = command[i];
    if (i === script) {
      const text = shellTextByReference(arg, env);
      if ('error' in text) return text;
      argv.push(text.value);
    } else argv.push(isSensitive(arg) ? arg.reveal() : arg);
  }
  return { value: argv };
}

/**
 * A job's command as the argv Docker runs: a string through `sh -c` with stderr joined to stdout
 * first (Docker delivers the two streams through separate copiers, so only one keeps the order
 * they were written in); a list as given, without a shell, its two streams in the order Docker
 * delivers them (and its secrets as argvByReference says).
 */
export function jobArgv(command: CommandSpec, env: SecretEnv): ByReference<string[]> {
  if (typeof command !== 'string' && !isSensitive(command)) return argvByReference(command, env);
  const text = shellTextByReference(command, env);
  return 'error' in text ? text : { value: ['sh', '-c', `exec 2>&1\n${text.value}`] };
}
