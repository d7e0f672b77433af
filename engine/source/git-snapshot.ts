import fs from 'node:fs';
import { relative, sep } from 'node:path';
import git from 'isomorphic-git';
import ignore from 'ignore';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { isCandidateFile, MAX_FILE_BYTES } from '../load/file-rules.js';
import type { Snapshot, SnapshotFile } from '../load/snapshot.js';

/** Who made a revision: what the store records beside the commit. */
export interface CommitInfo {
  oid: string;
  author: string;
  message: string;
  committedAt: Date;
}

/** Resolves a branch, remote branch (`origin/main`), tag or (abbreviated) SHA to a commit. */
export async function resolveCommit(gitdir: string, ref: string): Promise<string | undefined> {
  for (const candidate of [ref, `refs/remotes/${ref}`, `refs/tags/${ref}`, `refs/heads/${ref}`]) {
    try {
      return await git.resolveRef({ fs, dir: gitdir, ref: candidate, depth: 10 });
    } catch {
      // try the next spelling
    }
  }
  if (/^[0-9a-f]{4,40}$/i.test(ref)) return git.expandOid({ fs, dir: gitdir, oid: ref }).catch(() => undefined);
  return undefined;
}

/**
 * The resource files of one commit, below `subdir` of the repository, read from git's object
 * store: an immutable snapshot that never sees a half-written working tree.
 */
export async function readCommitSnapshot(
  dir: string,
  oid: string,
  subdir: string,
): Promise<{ snapshot: Snapshot; commit: CommitInfo; diagnostics: Diagnostic[] }> {
  const prefix = subdir === '.' || subdir === '' ? '' : `${subdir.replace(/\/+$/, '')}/`;
  // One isomorphic-git cache for the whole read: packfile indexes are parsed once, not per blob.
  const cache = {};
  const { commit } = await git.readCommit({ fs, dir, oid, cache });
  const diagnostics: Diagnostic[] = [];
  const entries: Array<{ path: string; oid: string }> = [];
  let ployignore = '';
  await git.walk({
    fs,
    dir,
    cache,
    trees: [git.TREE({ ref: oid })],
    map: async (path, [entry]) => {
      if (path === '.') return true;
      if (!(path + '/').startsWith(prefix) && !prefix.startsWith(`${path}/`)) return null;
      const type = await entry!.type();
      if (type === 'tree') return true;
      const rel = path.slice(prefix.length);
      if (rel === '.ployignore') ployignore = new TextDecoder().decode((await entry!.content()) ?? new Uint8Array());
      else if (type === 'blob' && (await entry!.mode()) !== 0o120000) entries.push({ path: rel, oid: await entry!.oid() });
      return true;
    },
  });
  const ig = ignore().add(ployignore);
  const files: SnapshotFile[] = [];
  for (const e of entries.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (!isCandidateFile(e.path, ig)) continue;
    const { blob } = await git.readBlob({ fs, dir, oid: e.oid, cache });
    if (blob.byteLength > MAX_FILE_BYTES) {
      diagnostics.push(
        error('file-too-large', `${e.path} is ${(blob.byteLength / 1e6).toFixed(1)} MB; files over 5 MB are not read.`, {
          file: e.path,
          line: 1,
          column: 1,
        }),
      );
      continue;
    }
    files.push({ path: e.path, bytes: blob });
  }
  return {
    snapshot: { revision: oid, files },
    commit: {
      oid,
      author: `${commit.author.name} <${commit.author.email}>`,
      message: commit.message.trim(),
      committedAt: new Date(commit.committer.timestamp * 1000),
    },
    diagnostics,
  };
}

/** The git work tree containing `path`, and `path` relative to it. */
export async function findRepo(path: string): Promise<{ root: string; subdir: string } | undefined> {
  try {
    const root = await git.findRoot({ fs, filepath: path });
    return { root, subdir: relative(root, path).split(sep).join('/') || '.' };
  } catch {
    return undefined;
  }
}
