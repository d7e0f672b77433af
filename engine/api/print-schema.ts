/**
 * Writes the API's SDL to schema/schema.graphql (`npm run schema:graphql`). The committed file
 * is what clients and code generators read; test/api/schema.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printApiSchema } from './schema.js';

const target = process.argv[2] ?? fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));
writeFileSync(target, printApiSchema());
console.log(`wrote ${target}`);
