import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { fullName, leafCommands, optionsOf, ployProgram } from '../../engine/reference/cli-page.js';
import { referencePages } from '../../engine/reference/generate.js';
import { EVENT_TYPES } from '../../engine/ports/events.js';
import { DIAGNOSTIC_CODES } from '../../engine/validate/diagnostic-codes.js';
import { makeDir, ploy } from '../support/cli.js';
import { freshDatabase, requirePostgres } from '../support/pg.js';

const ROOT = join(import.meta.dirname, '../..');
const REFERENCE = join(ROOT, 'docs/reference');
const read = (file: string) => readFileSync(join(REFERENCE, file), 'utf8');
const schema = (file: string) => JSON.parse(readFileSync(join(ROOT, 'schema', file), 'utf8'));

/** Every `.ts` file below engine/, tests excluded. */
function engineSources(dir = join(ROOT, 'engine')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? engineSources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Dotted paths of every property a schema declares (`routes[].host`), walked here independently of the generator. */
function propertyPaths(node: any, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, sub] of Object.entries((node?.properties ?? {}) as Record<string, any>)) {
    out.push(`${prefix}${name}`);
    if (sub.properties) out.push(...propertyPaths(sub, `${prefix}${name}.`));
    if (sub.items?.properties) out.push(...propertyPaths(sub.items, `${prefix}${name}[].`));
  }
  return out;
}

describe('the reference in docs/reference', () => {
  it('is what `npm run docs` generates from the source now', () => {
    const pages = referencePages(ROOT);
    const committed = readdirSync(REFERENCE).filter((f) => f.endsWith('.md'));
    expect(committed.sort(), 'docs/reference/ holds other pages than the generator writes: run `npm run docs`').toEqual(
      Object.keys(pages).sort(),
    );
    for (const [file, text] of Object.entries(pages)) {
      // Compared as a whole, but failing with the page's name and what to do.
      expect(read(file) === text, `docs/reference/${file} is out of date: run \`npm run docs\` and commit the result`).toBe(true);
    }
  });

  it('documents every field of every kind and of ploy.config.yaml', () => {
    const pages: Record<string, string> = {
      'app.schema.json': 'app.md',
      'monitor.schema.json': 'monitor.md',
      'job.schema.json': 'job.md',
      'notification.schema.json': 'notification.md',
      'ploy-config.schema.json': 'config.md',
      'plan.schema.json': 'plan-json.md',
    };
    for (const [file, page] of Object.entries(pages)) {
      const text = read(page);
      const paths = propertyPaths(schema(file));
      expect(paths.length, file).toBeGreaterThan(5);
      for (const p of paths) expect(text, `${page} lacks the field ${p} of schema/${file}`).toContain(`### \`${p}\``);
    }
  });

  it('documents every CLI command and each of its flags and exit codes', () => {
    const text = read('cli.md');
    const commands: Command[] = leafCommands(ployProgram());
    expect(commands.map(fullName)).toContain('ploy doctor');
    for (const cmd of commands) {
      const name = fullName(cmd);
      const section = text.split(`## \`${name}\``)[1]?.split('\n## ')[0];
      expect(section, `cli.md has no section for ${name}`).toBeDefined();
      for (const o of optionsOf(cmd)) expect(section, `${name} ${o.long}`).toContain(o.long!);
      expect(section, `${name} has no exit codes`).toMatch(/Exit codes:\n\n\| Code \| When \|\n\|---\|---\|\n\| `0` \|/);
    }
  });

  it('explains every diagnostic code the engine reports', () => {
    const text = read('diagnostics.md');
    // The codes passed to error()/warning() anywhere in the engine, found without the table.
    const used = new Set<string>();
    for (const file of engineSources()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:error|warning)\(\s*'([a-z-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    for (const code of [...used, ...Object.keys(DIAGNOSTIC_CODES)]) {
      expect(text, `diagnostics.md lacks ${code}`).toContain(`## ${code}\n`);
      expect(Object.keys(DIAGNOSTIC_CODES), `engine/validate/diagnostic-codes.ts lacks ${code}`).toContain(code);
    }
  });

  it('lists every event name, with its payload', () => {
    const text = read('events.md');
    const names = new Set<string>([...EVENT_TYPES, ...schema('common.schema.json').$defs.events.enum]);
    for (const name of names)
      expect(text, `events.md lacks ${name}`).toMatch(new RegExp(`## ${name}\\n[^#]+\\| \`data\` field \\|`));
  });

  it('lists every Prometheus metric the engine registers', () => {
    const text = read('metrics.md');
    const source = readFileSync(join(ROOT, 'engine/api/metrics.ts'), 'utf8');
    const names = [...source.matchAll(/'(ploy_[a-z_]+)'/g)].map((m) => m[1]).filter((n) => n !== 'ploy_process_');
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(text, `metrics.md lacks ${name}`).toContain(`| \`${name}\` |`);
  });

  it('links the GraphQL schema and shows every example query', () => {
    const text = read('graphql.md');
    expect(text).toContain('](../../schema/schema.graphql)');
    const examples = readdirSync(join(ROOT, 'examples/graphql')).filter((f) => f.endsWith('.graphql'));
    for (const f of examples) expect(text).toContain(readFileSync(join(ROOT, 'examples/graphql', f), 'utf8').trimEnd());
  });
});

describe('schema/plan.schema.json', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  ajv.addSchema(schema('common.schema.json'));
  const validate = ajv.compile(schema('plan.schema.json'));

  it('accepts what ploy plan --format json prints, with no field it does not describe', async (ctx) => {
    requirePostgres(ctx);
    // Docker unreachable, so apps are compared with the store and `unobserved` is set; a job brings nextRuns.
    const dir = await makeDir({
      'ploy.config.yaml': `source: {path: ./repo}\nstore: {url: "${await freshDatabase()}"}\ndocker: {host: unix:///run/ploy-test-no-docker.sock}\n`,
      'repo/all.yaml': [
        'kind: App\nname: web\nimage: nginx:1.27\nports: ["8080:80"]\n',
        'kind: Job\nname: tick\nschedule: "@hourly"\nshell: {command: "true"}\n',
      ].join('---\n'),
    });
    const r = await ploy(['plan', '--format', 'json'], { cwd: dir, docker: true });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.changes.map((c: { kind: string }) => c.kind).sort()).toEqual(['App', 'Job']);
    expect(plan.changes.find((c: { kind: string }) => c.kind === 'Job').nextRuns).toHaveLength(3);
    expect(plan.unobserved).toEqual(['App']);
    expect(validate(plan), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts every golden plan, with no field it does not describe', () => {
    const dir = join(ROOT, 'test/fixtures/plan');
    const cases = readdirSync(dir);
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const plan = JSON.parse(readFileSync(join(dir, c, 'plan.json'), 'utf8'));
      expect(validate(plan), `${c}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
