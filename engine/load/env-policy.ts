/**
 * Which environment variables `${env:NAME}` in a resource may read. A resource file can come
 * from a pull request, and CI runs `ploy plan` with its own secrets in the environment: reading
 * any variable would let a pull request print them. So, as Terraform reads only `TF_VAR_*`,
 * resources read only `PLOY_VAR_*` and the names or prefixes the operator lists in
 * ploy.config.yaml (`env.allow`), and never Ploy's own settings, listed or not.
 */

/** Always allowed: a name that says it was set for resources to read. */
export const DEFAULT_ENV_PREFIX = 'PLOY_VAR_';

/** The settings as ploy.config.yaml gives them (`env.allow`), plus names the config itself reserves. */
export interface EnvSettings {
  /** Names (`REGION`) and prefixes (`APP_*`) from `env.allow`; reserved ones are never allowed. */
  allow: readonly string[];
  /** Variables ploy.config.yaml reads for its own credentials (`api.token: "${env:X}"`). */
  reserved: readonly string[];
}

/** What a `${env:NAME}` may do under a policy. */
export type EnvVerdict = 'allowed' | 'reserved' | 'not-allowed';

/** A policy: `'any'` only for ploy.config.yaml, which the operator writes. */
export type EnvPolicy = 'any' | { check(name: string): EnvVerdict };

/** Engine settings by name: the store URL, the API token, secrets (`PLOY_SECRET_*`) and the rest. */
export function isReservedEnvName(name: string): boolean {
  if (name === 'DATABASE_URL') return true;
  return name.startsWith('PLOY_') && !name.startsWith(DEFAULT_ENV_PREFIX);
}

/**
 * Why an `env.allow` entry is refused, or undefined when it is fine. An entry that names Ploy's
 * own settings is a mistake worth an error, not a silent no-op: it would never be read anyway.
 * A broad pattern (`*`) is accepted; reserved names stay excluded from it.
 */
export function allowEntryProblem(entry: string): string | undefined {
  const prefix = entry.endsWith('*') ? entry.slice(0, -1) : undefined;
  const ploy = (s: string) => s.startsWith('PLOY_') && !s.startsWith(DEFAULT_ENV_PREFIX);
  if (prefix === undefined ? isReservedEnvName(entry) : ploy(prefix)) {
    return (
      `env.allow cannot list ${entry}: Ploy's own settings (PLOY_SECRET_*, PLOY_API_TOKEN, DATABASE_URL, ` +
      'PLOY_STORE_URL and the other PLOY_* variables) are never readable by resources. Use ${secret:NAME} for a secret.'
    );
  }
  return undefined;
}

/** The policy for resources: `PLOY_VAR_*` and `env.allow`, minus every reserved name. */
export function envPolicy(settings: EnvSettings): EnvPolicy {
  const names = new Set<string>();
  const prefixes: string[] = [DEFAULT_ENV_PREFIX];
  for (const entry of settings.allow) {
    if (allowEntryProblem(entry)) continue;
    if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
    else names.add(entry);
  }
  const reserved = new Set(settings.reserved);
  return {
    check(name) {
      if (isReservedEnvName(name) || reserved.has(name)) return 'reserved';
      return names.has(name) || prefixes.some((p) => name.startsWith(p)) ? 'allowed' : 'not-allowed';
    },
  };
}

/** The policy without a ploy.config.yaml (or with one that has no `env`): `PLOY_VAR_*` only. */
export const defaultEnvPolicy = (): EnvPolicy => envPolicy({ allow: [], reserved: [] });
