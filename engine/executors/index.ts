import type { ContainerRuntime } from '../ports/container-runtime.js';
import { type ContainerJobSpec, runContainer } from './container.js';
import { type ExecJobSpec, runExec } from './exec.js';
import { type HttpSpec, runHttp } from './http.js';
import { runShell, type ShellSpec } from './shell.js';
import type { AttemptResult, RunContext } from './types.js';

/** A job's runner, exactly one per job (the schema guarantees it). */
export type RunnerSpec =
  | { type: 'shell'; shell: ShellSpec }
  | { type: 'http'; http: HttpSpec }
  | { type: 'container'; container: ContainerJobSpec }
  | { type: 'exec'; exec: ExecJobSpec };

/** What runners may need from the engine; `containers` is absent when no Docker is configured. */
export interface RunnerPorts {
  containers?: ContainerRuntime;
}

/**
 * Runs one attempt with the job's runner. A fault of the machine (Docker unreachable) becomes
 * a failed attempt with its message, so retries and history treat it like any failure.
 */
export async function runAttempt(spec: RunnerSpec, ctx: RunContext, ports: RunnerPorts): Promise<AttemptResult> {
  try {
    switch (spec.type) {
      case 'shell':
        return await runShell(spec.shell, ctx);
      case 'http':
        return await runHttp(spec.http, ctx);
      case 'container':
        if (!ports.containers) return noRuntime();
        return await runContainer(ports.containers, spec.container, ctx);
      case 'exec':
        if (!ports.containers) return noRuntime();
        return await runExec(ports.containers, spec.exec, ctx);
    }
  } catch (err) {
    return { ok: false, exitCode: null, message: err instanceof Error ? err.message : String(err) };
  }
}

const noRuntime = (): AttemptResult => ({
  ok: false,
  exitCode: null,
  message: 'no container runtime is connected (docker is not configured or not reachable)',
});
