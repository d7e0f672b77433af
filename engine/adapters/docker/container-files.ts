import { posix } from 'node:path';
import tar from 'tar-stream';
import type { ContainerFile } from '../../ports/container-runtime.js';

/**
 * The tar archive Docker's "extract an archive to a container" endpoint takes, holding `files`
 * at their absolute paths. Parent directories are created by Docker as needed.
 */
export function filesArchive(files: readonly ContainerFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const f of files) {
    if (!posix.isAbsolute(f.path)) throw new Error(`container file ${f.path}: the path must be absolute`);
    pack.entry({ name: f.path.slice(1), mode: f.mode ?? 0o644, mtime: new Date(0) }, f.content);
  }
  pack.finalize();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}
