import type { DesiredState } from '../kinds/desired.js';
import type { CommitInfo } from './git-snapshot.js';

/** Where `ploy serve` gets desired state from, and how it learns that it changed. */
export interface SourceDriver {
  /** For logs and the revision record. */
  readonly description: string;
  /** The git ref followed, for webhook matching; undefined for a local directory. */
  readonly ref?: string;
  /** The source as a directory on disk (build contexts, bind mounts); undefined for git, read from its object store. */
  readonly root?: string;
  /** Reads and validates the source as it is now: one immutable snapshot. */
  load(): Promise<DesiredState & { commit?: CommitInfo }>;
  /** Starts noticing changes (watch or poll); `onChange` is called with why. */
  start(onChange: (why: string) => void): Promise<void>;
  /** A webhook said the source moved: look now (fetch for git). */
  poke(): void;
  stop(): Promise<void>;
}
