import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { MAX_FILE_BYTES, isCandidateFile } from './file-rules.js';

/** One file of a snapshot: its path relative to the source root (forward slashes) and its bytes. */
export interface SnapshotFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * An immutable view of the source at one revision. Everything downstream reads a snapshot,
 * never the live directory, so a reconcile never sees a half-saved tree.
 */
export interface Snapshot {
  /** Commit SHA for git; `sha256:` of the files for a plain directory. */
  revision: string;
  files: SnapshotFile[];
}

/** A stable content hash of a set of files: the revision of a directory that is not a git checkout. */
export function contentRevision(files: readonly SnapshotFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    h.update(f.path).update('\0').update(f.bytes).update('\0');
  }
  return `sha256:${h.digest('hex')}`;
}

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * Reads the resource files below `root` per FORMAT.md's file rules. Problems (too large, a
 * symlink leading out of the root, unreadable) are diagnostics; the rest of the files still load.
 */
export async function readDirectorySnapshot(root: string): Promise<{ snapshot: Snapshot; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const files: SnapshotFile[] = [];
  const realRoot = await realpath(root);
  const ig = await loadIgnore(realRoot);

  const toRead: Array<{ rel: string; target: string }> = [];
  // `realDir` is where `dir` really is: a linked folder is walked under its link's name.
  const walk = async (dir: string, realDir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = toPosix(relative(realRoot, abs));
      if (entry.name.startsWith('.')) continue;
      const at = { file: rel, line: 1, column: 1 };
      let target = abs;
      let realTarget = join(realDir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        // A symlink may point anywhere; only targets inside the root are part of the source.
        const resolved = await realpath(abs).catch(() => undefined);
        if (!resolved) {
          if (isCandidateFile(rel, ig)) {
            diagnostics.push(
              error('file-unreadable', `${rel} is a symbolic link to a file that does not exist; it was not read.`, at),
            );
          }
          continue;
        }
        isDir = (await stat(resolved)).isDirectory();
        if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) {
          // A linked folder is reported like a linked file: either may hold resources that
          // would silently be missing. A folder the user does not want read goes in .ployignore.
          if (isDir ? !ig.ignores(`${rel}/`) : isCandidateFile(rel, ig)) {
            const what = isDir ? 'folder' : 'file';
            diagnostics.push(error('path-escape', `${rel} is a link to a ${what} outside the source root; it was not read.`, at));
          }
          continue;
        }
        // A link to the folder it is in (or above) would be walked again and again.
        if (isDir && (realDir === resolved || realDir.startsWith(resolved + sep))) continue;
        target = resolved;
        realTarget = resolved;
      }
      if (isDir) {
        if (!ig.ignores(`${rel}/`)) await walk(abs, realTarget);
        continue;
      }
      if (isCandidateFile(rel, ig)) toRead.push({ rel, target });
    }
  };
  await walk(realRoot, realRoot);
  // Files are read with synchronous calls, in walk order (so the snapshot and its revision
  // hash stay deterministic): for many small files each promise-based lstat + readFile costs
  // five trips through libuv's thread pool, and a repo of 1,000 files read in ~200 ms that way
  // against ~35 ms like this. Nothing else waits on this thread meanwhile that would gain.
  const read = toRead.map(({ rel, target }) => readOne(rel, target));
  for (const r of read) {
    if ('bytes' in r) files.push(r);
    else diagnostics.push(r.diagnostic);
  }
  return { snapshot: { revision: contentRevision(files), files }, diagnostics };
}

async function loadIgnore(root: string): Promise<Ignore> {
  const ig = ignore();
  const text = await readFile(join(root, '.ployignore'), 'utf8').catch(() => '');
  return ig.add(text);
}

function readOne(rel: string, target: string): SnapshotFile | { diagnostic: Diagnostic } {
  const at = { file: rel, line: 1, column: 1 };
  try {
    const st = lstatSync(target);
    if (st.size > MAX_FILE_BYTES) {
      return {
        diagnostic: error('file-too-large', `${rel} is ${(st.size / 1e6).toFixed(1)} MB; files over 5 MB are not read.`, at),
      };
    }
    return { path: rel, bytes: readFileSync(target) };
  } catch (e) {
    return { diagnostic: error('file-unreadable', `${rel} could not be read: ${(e as Error).message}`, at) };
  }
}
