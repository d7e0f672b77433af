import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * The yaml package, loaded on first use. Its 72 CommonJS files cost about 70 ms of CPU to
 * load, and a repo in the common form never needs them: simple-yaml.ts reads it, and positions
 * are only worked out for a diagnostic. Loaded with require, which resolves to the same
 * dist/index.js (and the same module instance) that `import 'yaml'` gives on Node.
 */
export function yamlLib(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
