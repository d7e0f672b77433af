import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The read-only UI: built to web/dist, served by `ploy serve` at `/` (engine/api/static-files.ts).
// Assets get content hashes in their names so the server can cache them forever.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, target: 'es2022' },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
