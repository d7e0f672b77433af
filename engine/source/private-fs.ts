import fs, { type MakeDirectoryOptions, type Mode, type WriteFileOptions } from 'node:fs';

const p = fs.promises;
const GROUP_AND_OTHERS = 0o077;

/** The `mode` of an options argument (an object, an encoding name, or nothing), if it has one. */
function modeOf(opts: unknown): Mode | undefined {
  return typeof opts === 'object' && opts !== null ? (opts as { mode?: Mode }).mode : undefined;
}

function privateMode(mode: Mode | undefined, fallback: number): number {
  const m = mode === undefined ? fallback : typeof mode === 'string' ? Number.parseInt(mode, 8) : mode;
  return m & ~GROUP_AND_OTHERS;
}

/**
 * The file system handed to isomorphic-git for the local clone under `.ploy/git`: Node's own,
 * except that what it creates is private to the engine's user (folders 0700, files 0600, an
 * executable 0700) whatever the umask. The clone holds the config repository, which may be
 * private. Only the calls isomorphic-git makes are listed (its FileSystem wrapper reads these).
 */
export const privateFs = {
  readFile: p.readFile,
  unlink: p.unlink,
  rmdir: p.rmdir,
  rm: p.rm,
  stat: p.stat,
  lstat: p.lstat,
  readdir: p.readdir,
  readlink: p.readlink,
  symlink: p.symlink,
  writeFile(file: string, data: string | Uint8Array, opts?: WriteFileOptions) {
    const options = typeof opts === 'string' ? { encoding: opts } : (opts ?? {});
    return p.writeFile(file, data, { ...options, mode: privateMode(modeOf(opts), 0o600) });
  },
  mkdir(dir: string, opts?: Mode | MakeDirectoryOptions) {
    const mode = typeof opts === 'object' ? opts.mode : opts;
    return p.mkdir(dir, { ...(typeof opts === 'object' ? opts : {}), mode: privateMode(mode, 0o700) });
  },
};
