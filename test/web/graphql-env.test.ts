import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

// The web UI's query types are inferred from web/src/graphql-env.d.ts, the introspection of
// schema/schema.graphql that gql.tada's CLI writes. A stale copy would type the UI against an
// old schema, so the CLI writes it afresh (elsewhere) and the two must match byte for byte.
describe('web/src/graphql-env.d.ts', () => {
  it('is the introspection of schema/schema.graphql (regenerate with `npm run schema:graphql`)', async () => {
    const pkg = createRequire(import.meta.url).resolve('gql.tada/package.json');
    const cli = join(dirname(pkg), 'bin/cli.js');
    const dir = await mkdtemp(join(tmpdir(), 'ploy-gql-env-'));
    try {
      const output = join(dir, 'graphql-env.d.ts');
      await promisify(execFile)(process.execPath, [cli, 'generate', 'output', '--tsconfig', 'web/tsconfig.json', '--output', output], {
        cwd: root,
      });
      const committed = await readFile(join(root, 'web/src/graphql-env.d.ts'), 'utf8');
      expect(committed).toBe(await readFile(output, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
