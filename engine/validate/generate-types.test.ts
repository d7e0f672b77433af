import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_TYPES_FILE, specTypes } from './generate-types.js';
import { findSchemaDir } from './schemas.js';

const ROOT = join(findSchemaDir(), '..');

describe('the spec types generated from schema/', () => {
  it('are what `npm run gen:types` generates from the schemas now', async () => {
    const committed = readFileSync(join(ROOT, SPEC_TYPES_FILE), 'utf8');
    // Compared as a whole, but failing with what to do.
    expect(committed === (await specTypes()), `${SPEC_TYPES_FILE} is out of date: run \`npm run gen:types\` and commit it`).toBe(
      true,
    );
  });

  it('type a string as SpecText only where the schema admits a ${secret:} template', async () => {
    const text = await specTypes();
    const field = (name: string) => new RegExp(`^\\s+${name}\\??: ([^;]+);`, 'm').exec(text)?.[1];
    // Enums, names, durations and mounts rule a template out; free text and URLs do not.
    expect(field('pull')).toBe("'missing' | 'always'");
    expect(field('dependsOn')).toBe('string[]');
    expect(field('reminderInterval')).toBe('string');
    expect(field('volumes')).toBe('string[]');
    expect(field('image')).toBe('SpecText');
    expect(field('command')).toBe('SpecText | SpecText[]');
    expect(field('webhookUrl')).toBe('SpecText');
  });
});
