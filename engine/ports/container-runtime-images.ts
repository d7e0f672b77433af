/** Images in the container runtime port's terms: local images, and what pulls and builds take and give. */
import type { Sensitive } from '../model/sensitive.js';

/** A local image. */
export interface ImageInfo {
  id: string;
  repoTags: string[];
  /** `name@sha256:...` for each registry it was pulled from or pushed to; empty for local builds. */
  repoDigests: string[];
  created: Date;
  labels: Record<string, string>;
}

/** Credentials for one registry, as `registries` in ploy.config.yaml gives them. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** The registry host, e.g. `ghcr.io`. */
  serverAddress?: string;
}

/** Registry credentials as the engine holds them until the moment of a pull: the password may still be Sensitive. */
export type RegistryCredentials = Omit<RegistryAuth, 'password'> & { password: string | Sensitive };

/** One message of a pull's progress stream. */
export interface PullProgress {
  status: string;
  /** The layer (or tag) the message is about. */
  id?: string;
  current?: number;
  total?: number;
}

/** How to pull. */
export interface PullOptions {
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

/** What a pull produced. */
export interface PullResult {
  ref: string;
  imageId: string;
  /** The manifest digest the registry served, when it said (so a moved tag is visible). */
  digest?: string;
}

/** How to build. */
export interface BuildOptions {
  /** The name to give the image, e.g. `ploy/web:abc123`. */
  tag: string;
  /** Path of the Dockerfile inside the context (default `Dockerfile`). */
  dockerfile?: string;
  args?: Record<string, string>;
  /** The stage of a multi-stage Dockerfile to stop at. */
  target?: string;
  labels?: Record<string, string>;
  /** Also pull newer versions of the base images. */
  pull?: boolean;
  noCache?: boolean;
  signal?: AbortSignal;
}

/** What a build produced. */
export interface BuildResult {
  imageId: string;
  tag: string;
  /** Every line the builder wrote. */
  log: string[];
}
