import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secret lookup per FORMAT.md: the file NAME in the secrets dir, else the variable
 * PLOY_SECRET_NAME. A trailing newline of a file is dropped (editors add one).
 */
export function secretLookup(dir: string | undefined, env: Readonly<Record<string, string | undefined>>) {
  return (name: string): string | undefined => {
    if (dir && /^[A-Za-z0-9_.-]+$/.test(name) && !name.startsWith('.')) {
      try {
        return readFileSync(join(dir, name), 'utf8').replace(/\r?\n$/, '');
      } catch {
        // fall through to the environment
      }
    }
    return env[`PLOY_SECRET_${name}`];
  };
}
