import fs from 'node:fs';
import path from 'node:path';
import { StoreInUseError } from '../../ports/store.js';

// Dirs this process holds: a lock with our own pid is ours only if it is in here; otherwise it
// was left by an earlier process that had the same pid (a container's pid 1 after a restart).
const held = new Set<string>();

/** A held lock on a directory; `release` removes the lock file if it is still ours. */
export interface DirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes an exclusive lock on `dir` for this process by creating `<dir>/<name>` holding our pid.
 * A lock left by a dead process is taken over. Throws StoreInUseError when a live process
 * (or this one, through another open) holds it.
 */
export function lockDir(dir: string, name = 'store.lock'): DirLock {
  const key = path.resolve(dir);
  const file = path.join(key, name);
  if (held.has(key)) throw new StoreInUseError(dir, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    // Write the pid to a private file and hard-link it into place: the link is atomic and fails
    // if a lock exists, so nobody ever reads a half-written lock.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
      held.add(key);
      return { release: () => release(key, file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const pid = readPid(file);
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) throw new StoreInUseError(dir, pid);
    // Stale (dead pid, our own pid from an earlier life, or unreadable): remove and retry.
    // Two processes taking over the same stale lock at the same instant is the one race left;
    // the retry loop makes the loser see the winner's live pid in most interleavings.
    fs.rmSync(file, { force: true });
  }
  throw new StoreInUseError(dir, readPid(file) ?? 0);
}

function release(key: string, file: string): void {
  if (!held.delete(key)) return;
  if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
}
