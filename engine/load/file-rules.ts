import type { Ignore } from 'ignore';

/** FORMAT.md: a file over 5 MB is an error and is not read. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Whether a path (relative, forward slashes) is a resource file per FORMAT.md: `*.yaml`/`*.yml`,
 * not a dot-file or inside a dot-folder, not `ploy.config.yaml`, not matched by `.ployignore`.
 */
export function isCandidateFile(path: string, ig?: Ignore): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  const parts = path.split('/');
  if (parts.some((p) => p.startsWith('.'))) return false;
  const base = parts[parts.length - 1];
  if (base === 'ploy.config.yaml' || base === 'ploy.config.yml') return false;
  return !ig?.ignores(path);
}
