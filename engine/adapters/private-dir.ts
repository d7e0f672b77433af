import fs from 'node:fs';
import path from 'node:path';

/** Permission bits of the group and of others: none is set on anything Ploy keeps state in. */
export const GROUP_AND_OTHERS = 0o077;

/** What making an existing directory private changed. */
export interface Tightened {
  dir: string;
  /** Files and folders whose group and other permission bits were removed. */
  changed: number;
  /** Entries that could not be changed (another user's file, a read-only mount), with why. */
  failed: string[];
}

/**
 * Makes `dir` a directory only the engine's user can enter: creates it 0700 when it is missing;
 * when it exists and lets the group or others in (a store or clone made by an earlier Ploy,
 * which followed the umask), removes their permission bits from it and from everything inside
 * it, and says what it changed. Only the top is looked at when it is already private (one stat
 * per open): nobody else can reach what is inside a 0700 folder. Symbolic links inside are not
 * followed; `dir` itself may be one.
 */
export function makePrivateDir(dir: string): Tightened | undefined {
  let mode: number;
  try {
    mode = fs.statSync(dir).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // The umask can only take bits away from 0700, never add any.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return undefined;
  }
  if ((mode & GROUP_AND_OTHERS) === 0) return undefined;
  const result: Tightened = { dir, changed: 0, failed: [] };
  tighten(dir, dir, mode, result);
  return result;
}

function tighten(root: string, p: string, mode: number, out: Tightened): void {
  if (mode & GROUP_AND_OTHERS) {
    try {
      fs.chmodSync(p, mode & 0o7777 & ~GROUP_AND_OTHERS);
      out.changed++;
    } catch (err) {
      out.failed.push(`${path.relative(root, p) || '.'} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if ((mode & fs.constants.S_IFMT) !== fs.constants.S_IFDIR) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(p, { withFileTypes: true });
  } catch (err) {
    out.failed.push(`${path.relative(root, p) || '.'}/* (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return;
  }
  for (const entry of entries) {
    if (entry.isSymbolicLink()) continue;
    const child = path.join(p, entry.name);
    let childMode: number;
    try {
      childMode = fs.lstatSync(child).mode;
    } catch {
      continue; // removed meanwhile
    }
    tighten(root, child, childMode, out);
  }
}

/** A sentence for the log saying what makePrivateDir changed. */
export function describeTightened(t: Tightened): string {
  const what =
    `${t.dir} was readable by other users of this host: removed group and other permissions from ` +
    `${t.changed} file${t.changed === 1 ? '' : 's'} and folder${t.changed === 1 ? '' : 's'}`;
  if (t.failed.length === 0) return `${what}.`;
  const shown = t.failed.slice(0, 3).join(', ') + (t.failed.length > 3 ? ', ...' : '');
  return `${what}; ${t.failed.length} could not be changed: ${shown}. Fix them with chmod -R go-rwx ${t.dir}.`;
}
