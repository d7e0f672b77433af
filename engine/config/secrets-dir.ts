import fs from 'node:fs';
import path from 'node:path';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, warning } from '../model/diagnostic.js';

/** A secret another user of the host can read or replace, or a dir where they can add one. */
export interface SecretExposure {
  path: string;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  who: 'group' | 'others';
}

const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * What of `dir` is open to users other than its owner, judged as ssh judges a key and its
 * folder, but by what they can actually reach: a secret file is exposed when the group (or
 * others) may pass through every folder down to it and read or write it; the dir is exposed
 * when they may reach it and write in it (add or replace a secret). A 0755 dir of 0600 files,
 * a 0700 dir of 0644 files, or either inside a 0700 home, exposes nothing. Ancestors are judged
 * by their bits alone, whoever owns them. Dot-files (`.gitignore`) are never secrets. A missing
 * dir, or a system without Unix permissions, has nothing to report.
 */
export function secretExposures(dir: string): { files: SecretExposure[]; dir?: SecretExposure } {
  const files: SecretExposure[] = [];
  if (process.platform === 'win32') return { files };
  let top: fs.Stats;
  try {
    top = fs.statSync(dir);
  } catch {
    return { files };
  }
  if (!top.isDirectory()) return { files };
  const dirMode = top.mode & 0o777;
  // Who may enter the dir: the group and others need search (x) on it and on every ancestor.
  const into = searchableAbove(dir) & dirMode & 0o011;
  let exposedDir: SecretExposure | undefined;
  if (into & 0o001 && dirMode & 0o002) exposedDir = { path: dir, mode: dirMode, who: 'others' };
  else if (into & 0o010 && dirMode & 0o020) exposedDir = { path: dir, mode: dirMode, who: 'group' };
  const reach = (into & 0o001 ? 0o006 : 0) | (into & 0o010 ? 0o060 : 0);
  if (reach === 0) return { files, dir: exposedDir };
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const file = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.statSync(file); // through a link, as the secret lookup reads
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    const open = st.mode & reach;
    if (open) files.push({ path: file, mode: st.mode & 0o777, who: open & 0o006 ? 'others' : 'group' });
  }
  return { files, dir: exposedDir };
}

/** The group and other search bits (0o010, 0o001) that every ancestor of `p` grants. */
function searchableAbove(p: string): number {
  let bits = 0o011;
  for (let d = path.dirname(path.resolve(p)); bits !== 0; d = path.dirname(d)) {
    try {
      bits &= fs.statSync(d).mode;
    } catch {
      return 0;
    }
    if (d === path.dirname(d)) break;
  }
  return bits;
}

/**
 * Warnings for a secrets dir other users can read from or write to, at `at` (where the config
 * sets `secrets.dir`; the dir itself when PLOY_SECRETS_DIR does). Warnings, not errors: the
 * engine keeps working, as it must on a fresh clone of a repo whose secrets folder git
 * recreated with the umask's modes.
 */
export function secretsDirWarnings(dir: string | undefined, cwd: string, at?: SourcePos): Diagnostic[] {
  if (!dir) return [];
  const { files, dir: open } = secretExposures(dir);
  if (!open && files.length === 0) return [];
  const shown = path.relative(cwd, dir) || '.';
  at ??= { file: shown, line: 1, column: 1 };
  const out: Diagnostic[] = [];
  if (open) {
    out.push(
      warning(
        'config',
        `secrets.dir ${shown} (mode ${octal(open.mode)}) lets ${open.who === 'others' ? 'every user' : 'its group'} ` +
          `on this host add or replace secrets. Run: chmod 700 ${shown}`,
        at,
      ),
    );
  }
  if (files.length) {
    const list = files.slice(0, 5).map((f) => `${path.basename(f.path)} (${octal(f.mode)})`);
    const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
    const who = files.some((f) => f.who === 'others') ? 'every user' : 'the group';
    const how = files.some((f) => f.mode & 0o044) ? 'read' : 'overwritten';
    out.push(
      warning(
        'config',
        `${files.length === 1 ? 'A secret' : `${files.length} secrets`} in ${shown} can be ${how} by ${who} on this host: ` +
          `${list.join(', ')}${more}. Run: chmod 700 ${shown} (or chmod 600 each file)`,
        at,
      ),
    );
  }
  return out;
}
