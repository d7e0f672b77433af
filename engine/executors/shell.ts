import { spawn } from 'node:child_process';
import type { Sensitive } from '../model/sensitive.js';
import { SecretEnv, shellTextByReference } from './secret-refs.js';
import { abortMessage, type AttemptResult, type RunContext } from './types.js';

export interface ShellSpec {
  /** Sensitive when it holds secrets: they reach the shell through its environment, by reference. */
  command: string | Sensitive;
  env?: Record<string, string>;
  workdir?: string;
}

/**
 * Variables a shell job inherits from the engine. Not the whole environment: the engine's own
 * (DATABASE_URL, PLOY_SECRET_*, tokens) must not leak into every job and its captured output.
 */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SHELL'];

/** How long a stopped job gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2_000;

/**
 * The `shell` runner: `sh -c command` as the leader of its own process group, so that on
 * timeout the whole group (the shell and everything it started) is signalled, not just the
 * shell, whose children would otherwise live on as orphans. A secret in the command is a
 * variable of the shell's environment, never text of its command line (which `ps` shows).
 */
export function runShell(spec: ShellSpec, ctx: RunContext, env: NodeJS.ProcessEnv = process.env): Promise<AttemptResult> {
  const base = Object.fromEntries(INHERITED.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!]));
  const secrets = new SecretEnv();
  const text = shellTextByReference(spec.command, secrets);
  return new Promise<AttemptResult>((resolve) => {
    if (ctx.cancel.aborted) return resolve({ ok: false, exitCode: null, message: abortMessage(ctx.cancel) });
    if ('error' in text) return resolve({ ok: false, exitCode: null, message: text.error });
    // One pipe for both streams, like a terminal, so their lines stay in the order written
    // (two pipes are read in whatever order the event loop sees them). The stderr pipe then
    // only carries what the shell says before that line runs, such as a syntax error.
    const child = spawn('/bin/sh', ['-c', `exec 2>&1\n${text.value}`], {
      cwd: spec.workdir,
      env: { ...base, ...spec.env, ...ctx.ployEnv, ...secrets.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = () => {
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const stopListening = ctx.cancel.onAbort(onAbort);
    child.stdout.on('data', (c: Buffer) => ctx.output.write(c));
    child.stderr.on('data', (c: Buffer) => ctx.output.write(c));
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    // 'close' waits for the pipes too; a background child that keeps them open is killed with
    // the group when the shell exits, so output ends and 'close' comes.
    child.on('exit', () => signalGroup('SIGKILL'));
    child.on('close', (code, sig) => {
      clearTimeout(killTimer);
      stopListening();
      if (spawnError) return resolve({ ok: false, exitCode: null, message: `could not start the shell: ${spawnError.message}` });
      if (ctx.cancel.aborted) return resolve({ ok: false, exitCode: code, message: abortMessage(ctx.cancel) });
      if (code === 0) return resolve({ ok: true, exitCode: 0 });
      resolve({
        ok: false,
        exitCode: code,
        message: sig ? `killed by ${sig}` : `exited with code ${code}`,
      });
    });
  });
}
