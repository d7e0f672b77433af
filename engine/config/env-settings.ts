import { allowEntryProblem, type EnvSettings } from '../load/env-policy.js';
import type { FieldPath } from '../load/positions.js';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';

/** The fields of ploy.config.yaml that hold the engine's own credentials. */
const CREDENTIALS: readonly FieldPath[] = [
  ['store', 'url'],
  ['api', 'token'],
  ['webhook', 'secret'],
  ['source', 'git', 'auth', 'token'],
  ['source', 'git', 'auth', 'password'],
];

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_.-]*)(?::-[^}]*)?\}/g;

/**
 * `env` of ploy.config.yaml as written (before interpolation: the names are literal): the
 * allow-list, an error at each entry that names Ploy's own settings, and the variables the file
 * reads for its own credentials (`webhook: {secret: "${env:HOOK_SECRET}"}`), which resources
 * may then never read, whatever the allow-list says.
 */
export function envSettings(
  raw: Record<string, any>,
  posOf: (path: FieldPath) => SourcePos,
): { settings: EnvSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const listed: unknown[] = Array.isArray(raw.env?.allow) ? raw.env.allow : [];
  const allow: string[] = [];
  listed.forEach((entry, i) => {
    if (typeof entry !== 'string') return; // the schema reports it
    const problem = allowEntryProblem(entry);
    if (problem) diagnostics.push(error('config', problem, posOf(['env', 'allow', i])));
    else allow.push(entry);
  });
  const reserved = new Set<string>();
  const credentials = [...CREDENTIALS];
  if (Array.isArray(raw.registries))
    raw.registries.forEach((_: unknown, i: number) => credentials.push(['registries', i, 'password']));
  for (const path of credentials) {
    const v = path.reduce<any>((node, key) => (node == null ? undefined : node[key]), raw);
    if (typeof v === 'string') for (const m of v.matchAll(ENV_REF)) reserved.add(m[1]);
  }
  return { settings: { allow, reserved: [...reserved] }, diagnostics };
}
