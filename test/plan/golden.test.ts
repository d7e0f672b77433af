import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDesired } from '../../engine/kinds/desired.js';
import { hmacDigest } from '../../engine/kinds/digest.js';
import type { Kind, ResourceKey } from '../../engine/model/resource.js';
import { defaultEnvPolicy } from '../../engine/load/env-policy.js';
import { readDirectorySnapshot } from '../../engine/load/snapshot.js';
import { actualHash } from '../../engine/plan/actual.js';
import { type ActualResource, computePlan } from '../../engine/plan/compute.js';
import { planDocument } from '../../engine/plan/document.js';
import { renderMarkdown } from '../../engine/render/markdown.js';
import { renderText } from '../../engine/render/text.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';

/**
 * Golden plans: test/fixtures/plan/<case>/{desired/*.yaml, actual.json, plan.json}. The plan of
 * `desired` against `actual` must equal plan.json exactly. UPDATE_GOLDEN=1 rewrites plan.json
 * (review the diff before committing it).
 */
const ROOT = join(import.meta.dirname, '../fixtures/plan');
const SECRETS: Record<string, string> = {
  SLACK_WEBHOOK: 'https://hooks.slack.test/new',
  WEB_TOKEN: 't0ken',
  DB_PASSWORD: 'new-pw',
};
const KEY = new Uint8Array(32).fill(1);

async function planCase(name: string) {
  const dir = join(ROOT, name);
  const { snapshot, diagnostics } = await readDirectorySnapshot(join(dir, 'desired'));
  const desired = buildDesired(
    snapshot,
    {
      sourceRoot: join(dir, 'desired'),
      dockerMode: 'standalone',
      proxyConfigured: false,
      validators: compileKindValidators(),
      interpolation: { env: {}, envPolicy: defaultEnvPolicy(), secret: (n) => SECRETS[n], secrets: 'resolve' },
    },
    diagnostics,
  );
  const applied = JSON.parse(readFileSync(join(dir, 'actual.json'), 'utf8')) as Array<{
    kind: Kind;
    name: string;
    spec: Record<string, unknown>;
    protect?: boolean;
  }>;
  const resources = new Map<ResourceKey, ActualResource>(
    applied.map((a) => [`${a.kind}/${a.name}`, { kind: a.kind, name: a.name, spec: a.spec, protect: a.protect ?? false }]),
  );
  const plan = computePlan({
    revision: 'fixture',
    desired: desired.resources,
    actual: { resources, hash: actualHash(resources) },
    digest: hmacDigest(KEY),
    prune: true,
    diagnostics: desired.diagnostics,
  });
  return planDocument(plan);
}

const cases = readdirSync(ROOT).sort();

describe('golden plans', () => {
  it.each(cases)('plans the %s case exactly as recorded', async (name) => {
    const doc = await planCase(name);
    const file = join(ROOT, name, 'plan.json');
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('covers create, update, replace, delete, no-op, ordering and sensitive values', () => {
    expect(cases).toEqual(expect.arrayContaining(['create', 'update', 'replace', 'delete', 'noop', 'ordering', 'sensitive']));
  });

  it('never shows a secret value in any rendering, and says when one changed', async () => {
    const doc = await planCase('sensitive');
    const outputs = [JSON.stringify(doc), renderText(doc, false), renderMarkdown(doc)];
    for (const out of outputs) for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
    const text = renderText(doc, false);
    expect(text).toContain('env.DSN: (sensitive value changed)');
    expect(text).toContain('slack.webhookUrl: (sensitive value changed)');
    expect(text).not.toContain('env.TOKEN');
  });

  it('renders Terraform-like text with a summary line', async () => {
    const text = renderText(await planCase('replace'), false);
    expect(text).toContain('-/+ App web will be replaced (image changed, env changed)');
    expect(text).toContain('~ image: "nginx:1.27" → "nginx:1.28"');
    expect(text).toContain('+ env.NEW: "1"');
    expect(text).toMatch(/Plan: 0 to create, 0 to update, 1 to replace, 0 to delete\.\n$/);
  });

  it('renders markdown for a pull request with a summary table and details', async () => {
    const md = renderMarkdown(await planCase('create'));
    expect(md).toContain('| 🟢 create | App `web` |');
    expect(md).toContain('<summary>🟢 create Monitor <code>web-up</code></summary>');
    expect(md).toContain('**4** to create');
  });
});
