/**
 * PGlite's Node file system with every file and folder it creates private to the engine's user
 * (0600 / 0700), whatever the process umask. The store holds its secret key, job output and
 * history.
 *
 * Why not the umask: PGlite's postgres runs on Emscripten's file system, which gives each file
 * it creates the mode postgres asked for with an explicit chmod, past the umask: 0666 for most
 * of what initdb writes, 0644 for pg_internal.init (rewritten as the store runs). Emscripten's
 * NODEFS does all of it through two operations, mknod (create) and setattr (chmod), so masking
 * the mode there covers initdb, WAL segments and every file written later. Changing the umask
 * of the whole process would also change it for the jobs the engine runs.
 */
import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

const GROUP_AND_OTHERS = 0o077;

type ModeAttr = { mode?: number | null };
/** The part of Emscripten's NODEFS that sets modes (its node and stream operation tables). */
interface EmscriptenNodeFs {
  node_ops: {
    mknod(parent: unknown, name: string, mode: number, dev: number): unknown;
    setattr(node: unknown, attr: ModeAttr): unknown;
  };
  stream_ops: { setattr(stream: unknown, attr: ModeAttr): unknown };
}

type InitOptions = Parameters<NodeFS['init']>[1];

/** NodeFS on `dataDir` (created 0700 if missing) whose files get no group or other permission. */
export class PrivateNodeFS extends NodeFS {
  constructor(dataDir: string) {
    // Before NodeFS, which would create it with the umask's mode.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    super(dataDir);
  }

  override init(pg: PGlite, opts: InitOptions) {
    // Runs before NodeFS's own preRun mounts the data dir, so no file is made before the change.
    const privateModes = (mod: { NODEFS: unknown }) => maskModes(mod.NODEFS as EmscriptenNodeFs);
    return super.init(pg, { ...opts, preRun: [...(opts.preRun ?? []), privateModes] });
  }
}

/** Every mode NODEFS creates or sets loses its group and other bits (the file type bits stay). */
function maskModes(nodefs: EmscriptenNodeFs): void {
  const { node_ops: node, stream_ops: stream } = nodefs;
  const masked = (attr: ModeAttr): ModeAttr => (attr.mode == null ? attr : { ...attr, mode: attr.mode & ~GROUP_AND_OTHERS });
  const mknod = node.mknod.bind(node);
  const setattr = node.setattr.bind(node);
  const fsetattr = stream.setattr.bind(stream);
  node.mknod = (parent, name, mode, dev) => mknod(parent, name, mode & ~GROUP_AND_OTHERS, dev);
  node.setattr = (n, attr) => setattr(n, masked(attr));
  stream.setattr = (s, attr) => fsetattr(s, masked(attr));
}
