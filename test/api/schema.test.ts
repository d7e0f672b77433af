import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printApiSchema } from '../../engine/api/schema.js';

describe('schema/schema.graphql', () => {
  it('is the schema the code builds (regenerate with `npm run schema:graphql`)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../schema/schema.graphql'), 'utf8');
    expect(printApiSchema()).toBe(committed);
  });
});
