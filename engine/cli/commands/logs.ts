import { parseDuration } from '../../model/units.js';
import type { LogLine } from '../../ports/container-runtime.js';
import type { CliDeps } from '../deps.js';
import { CliError } from '../output.js';
import type { CommonFlags } from '../prepare.js';
import { appContainers, connect } from './app-containers.js';

export interface LogsFlags extends CommonFlags {
  follow?: boolean;
  tail?: string;
  since?: string;
}

/**
 * `ploy logs APP`: the output of every replica, each line prefixed with its container when
 * there are several. `--since` takes a duration (10m) or a time (2026-01-02T10:00:00Z).
 */
export async function logsCommand(deps: CliDeps, app: string, flags: LogsFlags, signal?: AbortSignal): Promise<number> {
  const tail = flags.tail === undefined ? undefined : Number(flags.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
    throw new CliError(`--tail must be a whole number, not "${flags.tail}"`);
  const since = flags.since === undefined ? undefined : sinceOf(flags.since, deps.clock.now());
  const { runtime } = await connect(deps, flags);
  const containers = await appContainers(runtime, app);
  const prefix = (name: string) => (containers.length > 1 ? `${name} | ` : '');
  const write = (name: string, l: LogLine) =>
    (l.stream === 'stderr' ? deps.stderr : deps.stdout).write(`${prefix(name)}${l.text}\n`);
  if (!flags.follow) {
    for (const c of containers) for (const l of await runtime.logs(c.id, { tail, since })) write(c.name, l);
    return 0;
  }
  const stop = signal ?? new AbortController().signal;
  await Promise.all(
    containers.map(async (c) => {
      for await (const l of runtime.followLogs(c.id, { tail, since, signal: stop })) write(c.name, l);
    }),
  );
  return 0;
}

function sinceOf(text: string, now: Date): Date {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new CliError(`--since takes a duration (10m, 2h) or a time (2026-01-02T10:00:00Z), not "${text}"`);
  return at;
}
