/**
 * Flattens a JSON Schema (draft 2020-12, as schema/ writes them) into the list of fields a
 * person reads: dotted paths (`healthcheck.http.port`, `routes[].host`), each with its type,
 * default, allowed values, constraints, description and example, `$ref`s followed into
 * common.schema.json.
 */

type Schema = Record<string, any>;

/** One documented field. */
export interface FieldDoc {
  /** `image`, `healthcheck.http.port`, `routes[].host`. */
  path: string;
  type: string;
  /** Required within its parent object (the parent itself may be optional). */
  required: boolean;
  description: string;
  /** What the `$ref`ed definition says of the value's format, when the field's own description replaces it. */
  format?: string;
  default?: unknown;
  allowed?: unknown[];
  constraints: string[];
  example?: unknown;
  /** Rules of an object field about its own fields: "exactly one of", "needs". */
  rules: string[];
}

/** Schemas by file name, for `$ref`s such as `common.schema.json#/$defs/port`. */
export type SchemaFiles = Record<string, Schema>;

/** A schema with its `$ref` followed; the referring schema's own keywords win. */
interface Resolved {
  schema: Schema;
  /** The file that holds it (refs inside it are relative to this file). */
  file: string;
  /** The referenced definition, when there was a `$ref`. */
  target?: Schema;
}

function resolve(schema: Schema, file: string, files: SchemaFiles): Resolved {
  if (typeof schema.$ref !== 'string') return { schema, file };
  const [refFile, pointer = ''] = schema.$ref.split('#');
  const base = refFile || file;
  let target: any = files[base];
  if (!target) throw new Error(`${file}: $ref to unknown schema ${schema.$ref}`);
  for (const part of pointer.split('/').filter(Boolean)) target = target?.[part];
  if (!target) throw new Error(`${file}: $ref ${schema.$ref} points at nothing`);
  const inner = resolve(target, base, files);
  const { $ref: _ref, ...own } = schema;
  return { schema: { ...inner.schema, ...own }, file: inner.file, target: inner.schema };
}

const plural = (t: string) => (t.endsWith('s') ? t : `${t}s`);

/** The type as a person says it: `string`, `list of strings`, `string or list of strings`, `map of strings`. */
function typeText(s: Schema, file: string, files: SchemaFiles): string {
  if ('const' in s) return typeof s.const;
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map((v: unknown) => (v === null ? 'null' : typeof v)))].join(' or ');
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const one = (t: string): string => {
    if (t === 'array') {
      const items = s.items ? resolve(s.items, file, files).schema : undefined;
      return `list of ${plural(items ? typeText({ ...items, items: undefined }, file, files) : 'value')}`;
    }
    if (t === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
      return `map of ${plural(typeText(resolve(s.additionalProperties, file, files).schema, file, files))}`;
    }
    return t;
  };
  return types.length ? types.map(one).join(' or ') : 'any';
}

function constraintsOf(s: Schema, hasFormat: boolean): string[] {
  const out: string[] = [];
  const min = s.minimum;
  if (min !== undefined && s.maximum !== undefined) out.push(`from ${min} to ${s.maximum}`);
  else if (min !== undefined) out.push(`at least ${min}`);
  else if (s.maximum !== undefined) out.push(`at most ${s.maximum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`greater than ${s.exclusiveMinimum}`);
  if (typeof s.minLength === 'number' && s.minLength > 1) out.push(`at least ${s.minLength} characters`);
  else if (s.minLength === 1) out.push('not empty');
  if (typeof s.minItems === 'number') out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (s.uniqueItems) out.push('no duplicates');
  // A pattern a definition names (a duration, a name) is explained by its format; long ones help nobody.
  if (typeof s.pattern === 'string' && !hasFormat && s.pattern.length <= 80) out.push(`matches \`${s.pattern}\``);
  return out;
}

function rulesOf(s: Schema): string[] {
  const rules: string[] = [];
  const oneOf = Array.isArray(s.oneOf) ? s.oneOf : [];
  const exactly = oneOf.map((b: Schema) => (Array.isArray(b.required) && b.required.length === 1 ? b.required[0] : undefined));
  if (exactly.length > 0 && exactly.every((f: unknown) => typeof f === 'string'))
    rules.push(`Exactly one of ${exactly.map((f: string) => `\`${f}\``).join(', ')}.`);
  for (const [field, needs] of Object.entries((s.dependentRequired ?? {}) as Record<string, string[]>))
    rules.push(`\`${field}\` needs ${needs.map((n) => `\`${n}\``).join(' and ')}.`);
  return rules;
}

/**
 * Every field of `root` (an object schema in `file`), depth first in the schema's own order:
 * an object's field comes before its fields; list items that are objects are `path[].field`.
 */
export function schemaFields(root: Schema, file: string, files: SchemaFiles): FieldDoc[] {
  const out: FieldDoc[] = [];
  const walk = (obj: Schema, objFile: string, prefix: string) => {
    const required = new Set<string>(obj.required ?? []);
    for (const [name, raw] of Object.entries((obj.properties ?? {}) as Record<string, Schema>)) {
      const { schema: s, file: f, target } = resolve(raw, objFile, files);
      const path = `${prefix}${name}`;
      // A definition that constrains the value's form (a duration, a name, a map's values) says how to write it.
      const shapes = target && ['pattern', 'minimum', 'maximum', 'additionalProperties', 'examples'].some((k) => k in target);
      const format =
        shapes && typeof target.description === 'string' && target.description !== s.description ? target.description : undefined;
      const items = s.items ? resolve(s.items, f, files).schema : undefined;
      const allowed = s.enum ?? ('const' in s ? [s.const] : undefined) ?? items?.enum;
      // Only the field's own examples: a definition's are generic (a URL of a health endpoint
      // shown for a git repository would mislead), and its format line already gives them.
      const examples = raw.examples;
      out.push({
        path,
        type: typeText(s, f, files),
        required: required.has(name),
        description: String(s.description ?? ''),
        ...(format ? { format } : {}),
        ...('default' in s ? { default: s.default } : {}),
        ...(allowed ? { allowed } : {}),
        constraints: constraintsOf(s, format !== undefined),
        ...(Array.isArray(examples) && examples.length ? { example: examples[0] } : {}),
        rules: rulesOf(s),
      });
      if (s.properties) walk(s, f, `${path}.`);
      else if (items?.properties) walk(items, f, `${path}[].`);
    }
  };
  walk(root, file, '');
  return out;
}

/** The rules of the document itself (required fields, exactly-one-of). */
export function rootRules(root: Schema): string[] {
  const required = (root.required ?? []) as string[];
  return [...(required.length ? [`Required: ${required.map((r) => `\`${r}\``).join(', ')}.`] : []), ...rulesOf(root)];
}
