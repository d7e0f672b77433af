import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { interpolate } from '../load/interpolate.js';
import { parseFile } from '../load/parse-file.js';
import { Sensitive } from '../model/sensitive.js';
import { secretLookup } from '../load/secrets.js';
import { ajvDiagnostics } from '../validate/ajv-diagnostics.js';
import { type Diagnostic, error, hasErrors } from '../model/diagnostic.js';
import { apiSettings } from './api-settings.js';
import { envSettings } from './env-settings.js';
import { monitorSettings } from './monitor-settings.js';
import { secretsDirWarnings } from './secrets-dir.js';
import type { EngineConfig } from './types.js';

export interface ConfigOptions {
  /** `--config`; defaults to ./ploy.config.yaml, which may be absent. */
  configPath?: string;
  /** `--source`, overriding `source`. */
  sourceOverride?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  validator: ValidateFunction;
  /**
   * `reference` (ploy plan --base) resolves neither `${env:}` nor `${secret:}` in the file: in a
   * pull request's checkout the file is the author's, not the operator's.
   */
  interpolation?: 'resolve' | 'reference';
}

/**
 * Reads ploy.config.yaml: interpolation as in resources, the schema, FORMAT.md's defaults, then
 * environment overrides (DATABASE_URL, DOCKER_HOST, PLOY_*). Problems are diagnostics. Unlike a
 * resource, the file may read any environment variable: the operator writes it, and it is
 * where the store URL and tokens come from.
 */
export function loadConfig(opts: ConfigOptions): { config?: EngineConfig; diagnostics: Diagnostic[] } {
  const explicit = opts.configPath !== undefined;
  const path = resolve(opts.cwd, opts.configPath ?? 'ploy.config.yaml');
  const shown = relative(opts.cwd, path) || path;
  if (!existsSync(path)) {
    if (explicit)
      return { diagnostics: [error('config', `Config file ${shown} does not exist.`, { file: shown, line: 1, column: 1 })] };
    const config = withEnv(defaultsFor({}, opts.cwd, undefined, opts), opts.env);
    return { config, diagnostics: secretsDirWarnings(config.secrets.dir, opts.cwd) };
  }
  const baseDir = dirname(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return {
      diagnostics: [
        error('config', `Config file ${shown} cannot be read: ${(e as Error).message}`, { file: shown, line: 1, column: 1 }),
      ],
    };
  }
  const parsed = parseFile(shown, bytes);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const doc = parsed.documents[0];
  const raw = (doc?.value ?? {}) as Record<string, any>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { diagnostics: [error('config', `${shown} must be a mapping of settings.`, { file: shown, line: 1, column: 1 })] };
  }
  // The secrets dir is read before interpolation, which needs it.
  const secretsDir = typeof raw.secrets?.dir === 'string' ? resolve(baseDir, raw.secrets.dir) : undefined;
  const posOf = doc ? doc.positions.of.bind(doc.positions) : () => ({ file: shown, line: 1, column: 1 });
  const interpolated = interpolate(
    raw,
    { env: opts.env, envPolicy: 'any', secret: secretLookup(secretsDir, opts.env), secrets: opts.interpolation ?? 'resolve' },
    posOf,
  );
  if (!opts.validator(raw)) {
    return { diagnostics: ajvDiagnostics(opts.validator.errors ?? [], raw, posOf, 'ploy.config.yaml') };
  }
  const env = envSettings(raw, posOf);
  if (hasErrors(env.diagnostics)) return { diagnostics: env.diagnostics };
  if (hasErrors(interpolated.diagnostics)) return { diagnostics: interpolated.diagnostics };
  const monitors = monitorSettings(interpolated.value as Record<string, any>, posOf);
  if (hasErrors(monitors.diagnostics)) return { diagnostics: monitors.diagnostics };
  const api = apiSettings(interpolated.value as Record<string, any>, posOf);
  if (hasErrors(api.diagnostics)) return { diagnostics: api.diagnostics };
  const config = { ...defaultsFor(interpolated.value as Record<string, any>, baseDir, path, opts), env: env.settings };
  const final = withEnv(config, opts.env);
  // Where the file sets secrets.dir, unless the environment moved it elsewhere.
  const dirAt = raw.secrets?.dir !== undefined && !opts.env.PLOY_SECRETS_DIR ? posOf(['secrets', 'dir']) : undefined;
  return { config: final, diagnostics: [...interpolated.diagnostics, ...secretsDirWarnings(final.secrets.dir, opts.cwd, dirAt)] };
}

function defaultsFor(raw: Record<string, any>, baseDir: string, file: string | undefined, opts: ConfigOptions): EngineConfig {
  const source = opts.sourceOverride
    ? { path: resolve(opts.cwd, opts.sourceOverride) }
    : raw.source?.git
      ? { git: { ref: 'main', dir: '.', interval: '60s', ...raw.source.git } }
      : { path: resolve(baseDir, raw.source?.path ?? '.') };
  const caddy = raw.proxy?.caddy;
  return {
    file,
    baseDir,
    source,
    store: { url: raw.store?.url ?? 'embedded', embeddedDir: resolve(baseDir, '.ploy') },
    docker: { host: raw.docker?.host, mode: raw.docker?.mode ?? 'standalone' },
    registries: raw.registries ?? [],
    sync: { auto: raw.sync?.auto ?? true, prune: raw.sync?.prune ?? true, selfHeal: raw.sync?.selfHeal },
    // Checked in loadConfig with positions; here only the values.
    api: apiSettings(raw, () => ({ file: '', line: 1, column: 1 })).settings,
    webhook: raw.webhook?.secret ? { secret: raw.webhook.secret } : undefined,
    secrets: { dir: raw.secrets?.dir ? resolve(baseDir, raw.secrets.dir) : undefined },
    // Read from the file as written, in loadConfig; none without a file.
    env: { allow: [], reserved: [] },
    proxy: caddy
      ? {
          caddy: {
            admin: caddy.admin ?? 'http://127.0.0.1:2019',
            listen: caddy.listen ?? [':80', ':443'],
            manage: caddy.manage ?? false,
            image: caddy.image ?? 'caddy:2',
          },
        }
      : undefined,
    // Checked in loadConfig with positions; here only the values.
    monitors: monitorSettings(raw, () => ({ file: '', line: 1, column: 1 })).settings,
    log: { level: raw.log?.level ?? 'info' },
  };
}

/** Environment variables win over the file: how containers and systemd units configure Ploy. */
function withEnv(c: EngineConfig, env: Readonly<Record<string, string | undefined>>): EngineConfig {
  const out = { ...c };
  const storeUrl = env.PLOY_STORE_URL ?? env.DATABASE_URL;
  if (storeUrl) out.store = { ...c.store, url: storeUrl };
  if (env.DOCKER_HOST) out.docker = { ...c.docker, host: env.DOCKER_HOST };
  if (env.PLOY_DOCKER_MODE === 'swarm' || env.PLOY_DOCKER_MODE === 'standalone')
    out.docker = { ...out.docker, mode: env.PLOY_DOCKER_MODE };
  if (env.PLOY_API_LISTEN) out.api = { ...c.api, listen: env.PLOY_API_LISTEN };
  if (env.PLOY_API_TOKEN) out.api = { ...out.api, token: new Sensitive(env.PLOY_API_TOKEN, '${env:PLOY_API_TOKEN}', []) };
  if (env.PLOY_LOG_LEVEL) out.log = { level: env.PLOY_LOG_LEVEL };
  if (env.PLOY_SECRETS_DIR) out.secrets = { dir: resolve(c.baseDir, env.PLOY_SECRETS_DIR) };
  return out;
}
