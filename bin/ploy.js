#!/usr/bin/env node
// The published entry point: runs the compiled CLI (npm run build writes dist/).
import { main } from '../dist/engine/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
