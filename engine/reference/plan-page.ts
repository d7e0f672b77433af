import type { Plan } from '../plan/types.js';
import { planDocument } from '../plan/document.js';
import type { SchemaFiles } from './schema-fields.js';
import { schemaPage } from './schema-page.js';

/** A small plan: one app updated in place, one monitor created. */
const EXAMPLE: Plan = {
  basis: { revision: '3f9c2a1e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39', actualHash: 'sha256:5d1f…' },
  changes: [
    {
      action: 'update',
      key: 'App/web',
      kind: 'App',
      name: 'web',
      order: 0,
      before: { image: 'nginx:1.27', replicas: 2 },
      after: { image: 'nginx:1.27', replicas: 3 },
      afterHash: 'sha256:b68e…',
      diffs: [{ path: 'replicas', before: 2, after: 3 }],
      reason: 'replicas changed',
      objects: [
        { type: 'container', name: 'web-1', action: 'keep' },
        { type: 'container', name: 'web-2', action: 'keep' },
        { type: 'container', name: 'web-3', action: 'create' },
      ],
      file: 'apps/web.yaml',
      line: 1,
    },
    {
      action: 'create',
      key: 'Monitor/web-up',
      kind: 'Monitor',
      name: 'web-up',
      order: 1,
      after: { http: { url: 'https://shop.example.com/', method: 'GET' }, interval: '60s' },
      afterHash: 'sha256:9a0c…',
      diffs: [],
      file: 'monitors/web.yaml',
      line: 1,
    },
  ],
  kept: [],
  diagnostics: [],
};

/** docs/reference/plan-json.md: the versioned JSON form of a plan, from schema/plan.schema.json. */
export function planPage(files: SchemaFiles): string {
  return schemaPage(
    {
      title: 'Plan JSON (formatVersion 1)',
      file: 'plan.schema.json',
      intro: [
        'An example, as `ploy plan --format json` prints it:',
        `\`\`\`json\n${JSON.stringify(planDocument(EXAMPLE), null, 2)}\n\`\`\``,
        '`ploy plan --out FILE` saves the same document inside `{"ploy": "plan", "formatVersion": 1, "createdAt": "<RFC 3339>", "plan": {...}}`, which `ploy apply FILE` reads back.',
      ],
    },
    files,
  );
}
