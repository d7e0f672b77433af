import fs from 'node:fs';
import git from 'isomorphic-git';
import { MAX_FILE_BYTES } from '../load/file-rules.js';

/**
 * One file of a commit, from git's object store: its bytes, or undefined when the commit has no
 * such file (or it is not a file, or it is over the 5 MB every source file is held to).
 * `filepath` is relative to the repository's root, with forward slashes.
 */
export async function readCommitFile(dir: string, oid: string, filepath: string): Promise<Uint8Array | undefined> {
  try {
    const { blob } = await git.readBlob({ fs, dir, oid, filepath });
    return blob.byteLength > MAX_FILE_BYTES ? undefined : blob;
  } catch {
    return undefined;
  }
}
