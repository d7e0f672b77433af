import type { EnvSettings } from '../load/env-policy.js';
import type { Secretish } from '../model/sensitive.js';
import type { ApiConfig } from './api-settings.js';

export type { Secretish };

/** Engine settings (ploy.config.yaml) after defaults, environment overrides and path resolution. */
export interface EngineConfig {
  /** The config file read, or undefined when none exists. */
  file?: string;
  /** Folder relative paths are resolved against (the config file's folder, or the cwd). */
  baseDir: string;
  source: { path: string } | { git: GitSourceConfig };
  store: { url: Secretish; embeddedDir: string };
  docker: { host?: string; mode: 'standalone' | 'swarm' };
  /** Private registry credentials, matched to an image by its registry host. */
  registries: Array<{ server: string; username: string; password: Secretish }>;
  sync: { auto: boolean; prune: boolean; selfHeal?: string };
  api: ApiConfig;
  webhook?: { secret: Secretish };
  secrets: { dir?: string };
  /** Which variables `${env:NAME}` in a resource may read (see load/env-policy.ts). */
  env: EnvSettings;
  proxy?: { caddy: { admin: string; listen: string[]; manage: boolean; image: string } };
  /** Monitor results kept (durations in ms, already checked), checks in flight per target host, RDAP base URL. */
  monitors: { retention: { rawMs: number; rollupsMs: number }; hostConcurrency: number; rdapUrl: string };
  log: { level: string };
}

export interface GitSourceConfig {
  url: string;
  ref: string;
  dir: string;
  interval: string;
  auth?: { token?: Secretish; username?: string; password?: Secretish };
}
