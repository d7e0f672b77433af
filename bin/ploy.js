#!/usr/bin/env node
/* global process */
// The published entry point: runs the compiled CLI, bundled (npm run build writes dist/cli/).
// An engine is production unless told otherwise: graphql-js, for one, runs a slower
// "multiple realms" check on every field it resolves when NODE_ENV is not `production`.
// Set before the engine's modules load, since they read it once at import time.
process.env.NODE_ENV ??= 'production';
const argv = process.argv.slice(2);
// A plan or an apply starts the embedded store's thread first, while the CLI itself loads.
const { prestart } = await import('../dist/cli/prestart.js');
prestart(argv, process.env, process.cwd()).catch(() => undefined); // a hint; never fails the command
const { main } = await import('../dist/cli/main.js');

main(argv).then((code) => {
  process.exitCode = code;
});
