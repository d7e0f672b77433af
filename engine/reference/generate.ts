/**
 * Generates docs/reference/ from the source of truth (`npm run docs`): the JSON Schemas of
 * schema/, the CLI's command definitions, and the engine's tables of diagnostic codes, events
 * and metrics. Deterministic: the same source gives the same bytes, which
 * test/docs/reference.test.ts compares with the committed files.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSchemaDir } from '../validate/schemas.js';
import { cliPage } from './cli-page.js';
import { diagnosticsPage } from './diagnostics-page.js';
import { eventsPage } from './events-page.js';
import { graphqlPage } from './graphql-page.js';
import { indexPage, type PageEntry } from './index-page.js';
import { GENERATED } from './markdown.js';
import { metricsPage } from './metrics-page.js';
import { planPage } from './plan-page.js';
import type { SchemaFiles } from './schema-fields.js';
import { schemaPage } from './schema-page.js';

/** The repository's root: the folder that holds schema/. */
export const repoRoot = (): string => dirname(findSchemaDir());

/** The schema files, by file name, as `$ref`s name them. */
function schemaFiles(root: string): SchemaFiles {
  const dir = join(root, 'schema');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]),
  );
}

const kind = (title: string, file: string, example: string): [PageEntry, (s: SchemaFiles) => string] => [
  { file: `${title.toLowerCase()}.md`, title, about: `Every field of a ${title}: type, default, allowed values.` },
  (s) =>
    schemaPage(
      { title, file, intro: [`A complete example: [examples/catalog/${example}](../../examples/catalog/${example}).`] },
      s,
    ),
];

/** Every reference page: file name in docs/reference/ → its Markdown. */
export function referencePages(root: string = repoRoot()): Record<string, string> {
  const schemas = schemaFiles(root);
  const pages: Array<[PageEntry, (s: SchemaFiles) => string]> = [
    kind('App', 'app.schema.json', 'apps/shop.yaml'),
    kind('Monitor', 'monitor.schema.json', 'monitors/shop.yaml'),
    kind('Job', 'job.schema.json', 'jobs/backup.yaml'),
    kind('Notification', 'notification.schema.json', 'notifications/channels.yaml'),
    [
      {
        file: 'config.md',
        title: 'ploy.config.yaml',
        about: 'The engine settings: source, store, Docker, sync, API, secrets, proxy, logs.',
      },
      (s) => schemaPage({ title: 'ploy.config.yaml', file: 'ploy-config.schema.json' }, s),
    ],
    [
      { file: 'cli.md', title: 'Command line', about: 'Every command, argument and flag, its exit codes and output.' },
      () => cliPage(),
    ],
    [
      { file: 'diagnostics.md', title: 'Diagnostics', about: 'Every diagnostic code: what causes it, how to fix it.' },
      () => diagnosticsPage(),
    ],
    [
      { file: 'plan-json.md', title: 'Plan JSON', about: 'The versioned JSON form of a plan (formatVersion 1).' },
      (s) => planPage(s),
    ],
    [
      { file: 'events.md', title: 'Events', about: 'Every event, when it happens, its payload, and what a webhook receives.' },
      () => eventsPage(),
    ],
    [
      { file: 'metrics.md', title: 'Prometheus metrics', about: 'Every metric of GET /metrics, its type and labels.' },
      () => metricsPage(),
    ],
    [
      { file: 'graphql.md', title: 'GraphQL API', about: 'The API entry points, the schema, and example queries.' },
      () => graphqlPage(root),
    ],
  ];
  const out: Record<string, string> = { 'README.md': indexPage(pages.map(([e]) => e)) };
  for (const [entry, render] of pages) out[entry.file] = render(schemas);
  return out;
}

/** Writes the pages to docs/reference/, removing generated pages that are no longer produced. */
export function writeReference(root: string = repoRoot()): string[] {
  const dir = join(root, 'docs/reference');
  mkdirSync(dir, { recursive: true });
  const pages = referencePages(root);
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.md') && !(f in pages) && readFileSync(join(dir, f), 'utf8').startsWith(GENERATED)) rmSync(join(dir, f));
  }
  for (const [file, text] of Object.entries(pages)) writeFileSync(join(dir, file), text);
  return Object.keys(pages).map((f) => join('docs/reference', f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of writeReference()) console.log(`wrote ${f}`);
}
