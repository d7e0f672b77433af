import { anchorOf, code, GENERATED, page, table, yamlValue } from './markdown.js';
import { type FieldDoc, rootRules, type SchemaFiles, schemaFields } from './schema-fields.js';

/** What a schema page needs besides the schema. */
export interface SchemaPageSpec {
  /** The page title, e.g. `App` or `ploy.config.yaml`. */
  title: string;
  /** The schema's file name in schema/. */
  file: string;
  /** Paragraphs after the schema's own description (links to examples, what the page covers). */
  intro?: string[];
}

/** `yes`, or for a nested field where: `yes, when build is set`, `yes, in each routes item`. */
function requiredWhere(path: string): string {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return 'yes';
  const parent = path.slice(0, dot);
  return parent.endsWith('[]') ? `yes, in each ${code(parent.slice(0, -2))} item` : `yes, when ${code(parent)} is set`;
}

/** One field as a section: its description, then type, required, default, allowed values, format, example. */
function fieldSection(f: FieldDoc): string {
  const facts: string[] = [`- Type: ${f.type}${f.constraints.length ? `, ${f.constraints.join(', ')}` : ''}`];
  if (f.required) facts.push(`- Required: ${requiredWhere(f.path)}`);
  if (f.default !== undefined) facts.push(`- Default: ${code(yamlValue(f.default))}`);
  if (f.allowed) facts.push(`- Allowed values: ${f.allowed.map((v) => code(yamlValue(v))).join(', ')}`);
  if (f.format) facts.push(`- Format: ${f.format}`);
  if (f.example !== undefined) facts.push(`- Example: ${code(`${f.path.split('.').at(-1)}: ${yamlValue(f.example)}`)}`);
  return [`### ${code(f.path)}`, f.description, facts.join('\n'), ...f.rules].filter(Boolean).join('\n\n');
}

/** A reference page for one schema file: summary table of every field, then a section per field. */
export function schemaPage(spec: SchemaPageSpec, files: SchemaFiles): string {
  const schema = files[spec.file];
  const fields = schemaFields(schema, spec.file, files);
  const summary = table(
    ['Field', 'Type', 'Default'],
    fields.map((f) => [
      `[${code(f.path)}](#${anchorOf(f.path)})${f.required ? ' (required)' : ''}`,
      f.type,
      f.default === undefined ? '' : code(yamlValue(f.default)),
    ]),
  );
  return page([
    GENERATED,
    `# ${spec.title}`,
    String(schema.description ?? ''),
    ...(spec.intro ?? []),
    `Source of truth: [schema/${spec.file}](../../schema/${spec.file}) (JSON Schema draft 2020-12; point your editor's YAML language server at it for completion).`,
    rootRules(schema).join(' '),
    '## Fields',
    summary,
    ...fields.map(fieldSection),
  ]);
}
