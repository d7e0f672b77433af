import { readdir } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import {
  type BuildOptions,
  type BuildResult,
  ImageBuildError,
  ImagePullError,
  type PullOptions,
  type PullResult,
  type RuntimeError,
} from '../../ports/container-runtime.js';
import { daemonMessage, isAbort, isUnreachable, statusOf, toRuntimeError } from './errors.js';
import { type JsonMessage, messageError, readJsonStream } from './progress.js';

/** `fromImage` and `tag` for the Engine API: `repo[:tag]` or `repo@digest`; `latest` when neither. */
export function splitRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) {
    const name = ref.slice(0, at);
    const colon = name.lastIndexOf(':');
    return { fromImage: colon > name.lastIndexOf('/') ? name.slice(0, colon) : name, tag: ref.slice(at + 1) };
  }
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

const why = (err: unknown, signal: AbortSignal | undefined) =>
  signal?.aborted && isAbort(err) ? `aborted (${String(signal.reason?.message ?? signal.reason)})` : daemonMessage(err);

/** Pulls `ref`, failing with ImagePullError on a refusal, an error message in the stream, or an abort. */
export async function pullImage(docker: Dockerode, where: string, ref: string, opts: PullOptions = {}): Promise<PullResult> {
  const op = `pull ${ref}`;
  const { signal, auth, onProgress } = opts;
  const fail = (err: unknown): RuntimeError =>
    isUnreachable(err)
      ? toRuntimeError(err, op, where)
      : new ImagePullError(ref, `could not pull ${ref}: ${why(err, signal)}`, {
          cause: err,
          statusCode: statusOf(err),
        });
  const authconfig = auth && {
    username: auth.username,
    password: auth.password,
    serveraddress: auth.serverAddress,
  };
  let digest: string | undefined;
  let error: string | undefined;
  try {
    const stream = await docker.createImage(authconfig, { ...splitRef(ref), abortSignal: signal });
    error = await readJsonStream(
      stream,
      (m) => {
        const d = /^Digest: (sha256:[0-9a-f]{64})/.exec(m.status ?? '');
        if (d) digest = d[1];
        if (m.status && !messageError(m)) {
          onProgress?.({
            status: m.status,
            id: m.id,
            current: m.progressDetail?.current,
            total: m.progressDetail?.total,
          });
        }
      },
      signal,
    );
  } catch (err) {
    throw fail(signal?.aborted ? Object.assign(new Error('aborted'), { name: 'AbortError', cause: err }) : err);
  }
  if (error) throw new ImagePullError(ref, `could not pull ${ref}: ${error}`);
  try {
    const image = await docker.getImage(ref).inspect();
    return { ref, imageId: image.Id, digest };
  } catch (err) {
    throw fail(err);
  }
}

/** The build log's lines from one stream message. */
function logLines(m: JsonMessage): string[] {
  const err = messageError(m);
  if (err) return [`ERROR: ${err}`];
  const text = m.stream ?? (m.status ? `${m.status}${m.id ? ` ${m.id}` : ''}${m.progress ? ` ${m.progress}` : ''}\n` : '');
  return text
    .replace(/\n$/, '')
    .split('\n')
    .filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** Builds an image from `contextDir` with Docker's builder, keeping every line of its log. */
export async function buildImage(
  docker: Dockerode,
  where: string,
  contextDir: string,
  opts: BuildOptions,
  onLog?: (line: string) => void,
): Promise<BuildResult> {
  const { tag, signal } = opts;
  const log: string[] = [];
  let imageId: string | undefined;
  const fail = (err: unknown): RuntimeError =>
    isUnreachable(err)
      ? toRuntimeError(err, `build ${tag}`, where)
      : new ImageBuildError(tag, `could not build ${tag}: ${why(err, signal)}`, log, {
          cause: err,
          statusCode: statusOf(err),
        });
  let src: string[];
  try {
    src = await readdir(contextDir);
  } catch (err) {
    const reason = `the build context ${contextDir} cannot be read (${(err as Error).message})`;
    throw new ImageBuildError(tag, `could not build ${tag}: ${reason}`, log, { cause: err });
  }
  let error: string | undefined;
  try {
    const stream = await docker.buildImage(
      { context: contextDir, src },
      {
        t: tag,
        dockerfile: opts.dockerfile,
        buildargs: opts.args,
        target: opts.target,
        labels: opts.labels,
        pull: opts.pull,
        nocache: opts.noCache,
        rm: true,
        forcerm: true,
        abortSignal: signal,
      },
    );
    error = await readJsonStream(
      stream,
      (m) => {
        if (m.aux?.ID) imageId = m.aux.ID;
        for (const line of logLines(m)) {
          log.push(line);
          onLog?.(line);
        }
      },
      signal,
    );
  } catch (err) {
    throw fail(signal?.aborted ? Object.assign(new Error('aborted'), { name: 'AbortError', cause: err }) : err);
  }
  if (error) throw new ImageBuildError(tag, `could not build ${tag}: ${error}`, log);
  try {
    imageId ??= (await docker.getImage(tag).inspect()).Id;
  } catch (err) {
    throw fail(err);
  }
  return { imageId, tag, log };
}
