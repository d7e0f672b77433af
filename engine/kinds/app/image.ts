import { dirname, resolve } from 'node:path';
import type { ContainerRuntime, RegistryAuth } from '../../ports/container-runtime.js';
import type { Spec } from '../../model/resource.js';

export interface ImageReady {
  /** What containers are created from. */
  ref: string;
  /** Content digest (`repo@sha256:…`) or, for a local build, the image id. */
  digest?: string;
  /** The builder's output, for a build. */
  buildLog?: string[];
}

export interface ImageContext {
  runtime: ContainerRuntime;
  app: string;
  /** Hash of the container-relevant spec: tags a build so that a rebuild of the same spec is found. */
  hash: string;
  /** Absolute source root and the app's file, to find a build context. */
  sourceRoot?: string;
  file: string;
  registries: RegistryAuth[];
  signal?: AbortSignal;
}

/**
 * Makes the app's image present: builds it from its context, or pulls it per `pull`
 * (`missing`: only when absent; `always`: every deploy, so a moved tag is seen). Failures throw
 * the runtime's ImagePullError / ImageBuildError, whose messages say what the daemon said.
 */
export async function ensureImage(spec: Spec, ctx: ImageContext): Promise<ImageReady> {
  const build = spec.build as
    { context: string; dockerfile?: string; args?: Record<string, string>; target?: string } | undefined;
  if (build) {
    if (!ctx.sourceRoot)
      throw new Error('build needs the source on disk: a git source cannot build yet (use image, built by CI)');
    const tag = `ploy/${ctx.app}:${ctx.hash.slice(0, 12)}`;
    const result = await ctx.runtime.buildImage(resolve(ctx.sourceRoot, dirname(ctx.file), build.context), {
      tag,
      dockerfile: build.dockerfile,
      args: build.args,
      target: build.target,
      labels: { 'ploy.app': ctx.app },
      signal: ctx.signal,
    });
    return { ref: tag, digest: result.imageId, buildLog: result.log };
  }
  const ref = String(spec.image);
  if (spec.pull !== 'always' && (await ctx.runtime.imageExists(ref))) {
    const local = await ctx.runtime.inspectImage(ref);
    return { ref, digest: local?.repoDigests[0] ?? local?.id };
  }
  const pulled = await ctx.runtime.pullImage(ref, { auth: registryFor(ref, ctx.registries), signal: ctx.signal });
  const local = await ctx.runtime.inspectImage(ref);
  return { ref, digest: pulled.digest ? `${repository(ref)}@${pulled.digest}` : (local?.repoDigests[0] ?? pulled.imageId) };
}

/** The registry host an image name starts with; Docker Hub when the first part is not a host. */
export function registryHost(ref: string): string {
  const first = ref.split('/')[0];
  const isHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

export function registryFor(ref: string, registries: readonly RegistryAuth[]): RegistryAuth | undefined {
  const host = registryHost(ref);
  const alias = (h: string | undefined) => (h === 'index.docker.io' || h === 'registry-1.docker.io' ? 'docker.io' : h);
  return registries.find((r) => alias(r.serverAddress) === host);
}

/** `ghcr.io/acme/web:2.1` → `ghcr.io/acme/web` (the name a digest attaches to). */
const repository = (ref: string) => ref.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
