import { readdirSync } from 'node:fs';
import { isSensitive, sensitiveValues } from '../model/sensitive.js';
import { secretLookup } from '../load/secrets.js';
import type { EngineConfig, Secretish } from './types.js';

/**
 * Every secret value the engine can know from its settings and environment, for the scrubber
 * that masks them in what is stored, sent and printed: each file of the secrets dir and each
 * `PLOY_SECRET_*` variable (the two places `${secret:NAME}` reads from, so every value a
 * resource can reference is here before any resource is read), the API token, the webhook
 * secret, registry and git passwords, and the store URL's password. Values a setting holds as a
 * plain string count too: `api.token: abc` written literally is still a credential.
 */
export function knownSecrets(config: EngineConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  const out = new Set<string>(sensitiveValues(config));
  const add = (v: Secretish | undefined) => {
    const s = isSensitive(v) ? v.reveal() : v;
    if (s) out.add(s);
  };
  add(config.api.token);
  add(config.webhook?.secret);
  for (const r of config.registries) add(r.password);
  if ('git' in config.source) {
    add(config.source.git.auth?.token);
    add(config.source.git.auth?.password);
  }
  const url = isSensitive(config.store.url) ? config.store.url.reveal() : config.store.url;
  add(passwordOf(url));
  for (const [name, value] of Object.entries(env)) if (name.startsWith('PLOY_SECRET_') && value) out.add(value);
  for (const value of secretsDirValues(config.secrets.dir)) out.add(value);
  return [...out];
}

/** The values of the files of a secrets dir, read by the same rule as `${secret:NAME}`; none when it cannot be read. */
export function secretsDirValues(dir: string | undefined): string[] {
  if (!dir) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // No environment: only the dir's own files (a subfolder or an unreadable file gives nothing).
  const lookup = secretLookup(dir, {});
  return names.flatMap((name) => lookup(name) ?? []);
}

/** The password of a `postgres://user:password@host/db` URL, decoded; undefined without one. */
function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
