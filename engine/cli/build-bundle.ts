/**
 * Build step (npm run build, after tsc): bundles the compiled engine into dist/cli/, which
 * bin/ploy.js runs. Node loads a CLI made of ~60 small ES modules file by file (resolve, read,
 * compile, link each): about 0.12 s on this VM before a command starts, half of it saved by
 * loading a few larger files. That is a tenth of a plan of 1,000 resources.
 *
 * Only the engine's own modules are bundled; packages stay in node_modules as they are (one
 * graphql instance, PGlite beside its WASM). The worker scripts are entries of their own,
 * so `new URL('./parse-worker.js', import.meta.url)` finds them beside the bundle, and the
 * precompiled validators are copied there for the same reason.
 * Run: node dist/engine/cli/build-bundle.js
 */
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { STANDALONE_FILE } from '../validate/schemas.js';

const engine = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(engine, '..', 'cli');

rmSync(out, { recursive: true, force: true });
await build({
  input: {
    main: join(engine, 'main.js'),
    prestart: join(engine, 'root/prestart.js'),
    'parse-worker': join(engine, 'load/parse-worker.js'),
    'pglite-worker': join(engine, 'adapters/store/pglite-worker.js'),
  },
  platform: 'node',
  // Packages and Node's own modules load from where they are; only relative imports are ours.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', sourcemap: false },
  logLevel: 'warn',
});
copyFileSync(join(engine, 'validate', STANDALONE_FILE), join(out, STANDALONE_FILE));
console.log(`wrote ${out}`);
