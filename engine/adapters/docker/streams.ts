import type Dockerode from 'dockerode';
import {
  type EventFilter,
  type ExecOptions,
  type ExecResult,
  type LogLine,
  type LogOptions,
  type RuntimeEvent,
  RuntimeOperationError,
  RuntimeUnavailableError,
} from '../../ports/container-runtime.js';
import { Channel } from './channel.js';
import { isAbort, toRuntimeError } from './errors.js';
import { labelArgs } from './labels.js';
import { Demuxer, dockerTime, LineSplitter, readLines } from './logs.js';
import { readJsonStream } from './progress.js';

type Stream = NodeJS.ReadableStream & { destroy(e?: Error): void };

/** `GET /containers/{id}/logs` as a raw stream (dockerode buffers it to a string unless following). */
function openLogs(docker: Dockerode, id: string, opts: LogOptions, follow: boolean, signal?: AbortSignal) {
  return new Promise<Stream>((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/logs?`,
        method: 'GET',
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: {
          stdout: true,
          stderr: true,
          timestamps: true,
          follow,
          tail: opts.tail === undefined ? 'all' : String(opts.tail),
          since: opts.since ? dockerTime(opts.since) : undefined,
        },
      },
      (err, data) => (err ? reject(err) : resolve(data as unknown as Stream)),
    );
  });
}

/** The log so far, demultiplexed into lines. */
export async function containerLogs(docker: Dockerode, where: string, id: string, opts: LogOptions = {}) {
  const lines: LogLine[] = [];
  try {
    await readLines(await openLogs(docker, id, opts, false), (l) => lines.push(l), true);
  } catch (err) {
    throw toRuntimeError(err, `logs ${id}`, where);
  }
  return lines;
}

/** The log as it is written; the iterable ends when the container stops or the signal aborts. */
export async function* followLogs(
  docker: Dockerode,
  where: string,
  id: string,
  opts: LogOptions & { signal: AbortSignal },
): AsyncIterable<LogLine> {
  let stream: Stream;
  try {
    stream = await openLogs(docker, id, opts, true, opts.signal);
  } catch (err) {
    if (opts.signal.aborted) return;
    throw toRuntimeError(err, `logs ${id}`, where);
  }
  const channel = new Channel<LogLine>(() => stream.destroy());
  const lines = new LineSplitter((l) => channel.push(l), true);
  const demux = new Demuxer((f) => lines.push(f));
  const close = () => {
    demux.end();
    lines.end();
    channel.end();
  };
  const onAbort = () => {
    close();
    stream.destroy();
  };
  opts.signal.addEventListener('abort', onAbort, { once: true });
  stream.on('data', (chunk: Buffer) => demux.push(chunk));
  stream.on('end', close);
  stream.on('error', (err) => (opts.signal.aborted ? close() : channel.end(toRuntimeError(err, `logs ${id}`, where))));
  try {
    yield* channel;
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    stream.destroy();
  }
}

/** Runs `cmd` in a running container; waits for it to exit and reads its exit code. */
export async function execIn(
  docker: Dockerode,
  where: string,
  id: string,
  cmd: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const op = `exec in ${id}`;
  const out: Array<{ stream: 'stdout' | 'stderr'; data: Buffer }> = [];
  try {
    const exec = await docker.getContainer(id).exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
      User: opts.user,
      WorkingDir: opts.workingDir,
    });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Stream;
    const demux = new Demuxer((f) => out.push(f));
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stream.destroy();
        reject(new RuntimeOperationError(`${op} was abandoned: ${String(opts.signal?.reason ?? 'aborted')}`, op));
      };
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        demux.end();
        resolve();
      });
    });
    // The output ends a moment before the daemon records the exit code.
    let info = await exec.inspect();
    for (let i = 0; info.Running && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await exec.inspect();
    }
    const text = (s?: 'stdout' | 'stderr') =>
      Buffer.concat(out.filter((f) => !s || f.stream === s).map((f) => f.data)).toString('utf8');
    return { exitCode: info.ExitCode ?? -1, output: text(), stdout: text('stdout'), stderr: text('stderr') };
  } catch (err) {
    throw toRuntimeError(err, op, where);
  }
}

/** Docker's `filters` parameter for an event filter. */
function eventFilters(f: EventFilter): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  if (f.types?.length) filters.type = f.types;
  if (f.actions?.length) filters.event = f.actions;
  if (f.labels) filters.label = labelArgs(f.labels);
  if (f.containers?.length) filters.container = f.containers;
  return filters;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Maps one message of `GET /events`. */
export function toEvent(m: DockerEvent): RuntimeEvent {
  const action = m.Action ?? '';
  const colon = action.indexOf(':');
  return {
    type: m.Type ?? '',
    action: colon >= 0 ? action.slice(0, colon) : action,
    detail: colon >= 0 ? action.slice(colon + 1).trim() : undefined,
    id: m.Actor?.ID ?? '',
    attributes: m.Actor?.Attributes ?? {},
    time: new Date(m.timeNano ? m.timeNano / 1e6 : (m.time ?? 0) * 1000),
  };
}

/**
 * Subscribes to `GET /events`. Without `since`, asks for events from the moment of the call:
 * the daemon answers before it subscribes, and `since` makes it replay that gap from its buffer.
 */
export async function subscribeEvents(
  docker: Dockerode,
  where: string,
  filter: EventFilter,
  signal: AbortSignal,
): Promise<AsyncIterable<RuntimeEvent>> {
  const op = 'events';
  const since = filter.since ?? new Date();
  let stream: Stream;
  try {
    stream = (await docker.getEvents({
      filters: eventFilters(filter),
      since: dockerTime(since),
      abortSignal: signal,
    } as object)) as Stream;
  } catch (err) {
    if (signal.aborted && isAbort(err)) return new Channel<RuntimeEvent>(() => {});
    throw toRuntimeError(err, op, where);
  }
  const channel = new Channel<RuntimeEvent>(() => stream.destroy());
  readJsonStream(stream, (m) => channel.push(toEvent(m as unknown as DockerEvent)), signal).then(
    () => channel.end(signal.aborted ? undefined : new RuntimeUnavailableError(`the events stream from ${where} ended`, op)),
    (err) => channel.end(signal.aborted ? undefined : toRuntimeError(err, op, where)),
  );
  return channel;
}
