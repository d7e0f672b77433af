import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv2020, AnySchemaObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type { Kind } from '../model/resource.js';

/** The JSON Schema files of schema/ (the single source of truth for the resource format). */
export interface PloySchemas {
  common: AnySchemaObject;
  App: AnySchemaObject;
  Monitor: AnySchemaObject;
  Job: AnySchemaObject;
  Notification: AnySchemaObject;
  /** ploy.config.yaml */
  config: AnySchemaObject;
  /** Editor bundle: any kind, dispatched on `kind`. Not compiled by the engine. */
  bundle: AnySchemaObject;
}

const FILES: Record<keyof PloySchemas, string> = {
  common: 'common.schema.json',
  App: 'app.schema.json',
  Monitor: 'monitor.schema.json',
  Job: 'job.schema.json',
  Notification: 'notification.schema.json',
  config: 'ploy-config.schema.json',
  bundle: 'ploy.schema.json',
};

/**
 * The repo's schema/ folder. Compiled code runs from dist/engine/validate/ while schema/ stays at
 * the repo root, so walk up from this module until a folder holds schema/common.schema.json.
 */
export function findSchemaDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ;) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, FILES.common))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`schema/${FILES.common} not found above ${from}`);
    dir = parent;
  }
}

function loadSchemas(): PloySchemas {
  const dir = findSchemaDir();
  const out = {} as PloySchemas;
  for (const [key, file] of Object.entries(FILES) as [keyof PloySchemas, string][]) {
    out[key] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AnySchemaObject;
  }
  return out;
}

/** The parsed schema files, read once when this module loads (a few small files). */
export const schemas: Readonly<PloySchemas> = loadSchemas();

/**
 * Ajv options used for the engine's validators.
 * - `strictRequired: false`: "exactly one of" is written `oneOf: [{required: [a]}, {required: [b]}]`,
 *   which strictRequired rejects because the branches do not repeat `properties`.
 * - `allowUnionTypes`: `type: ["string", "array"]` (a command) gives one clear type error, where a
 *   `oneOf` of types would give three.
 * - `verbose`: each error carries `schema` (the keyword's value, e.g. the `oneOf` alternatives)
 *   and `parentSchema` (with `title`, `description`, `examples`): what good messages are built
 *   from. Match shared types by `parentSchema.title` ('duration', 'name', 'port', ...): ajv's
 *   `schemaPath` is relative to whichever schema a `$ref` led into.
 * - `validateSchema: false`, `code.optimize: false`: cut CLI start-up time; the schemas are
 *   checked against the draft 2020-12 meta-schema by test/schema/schemas.test.ts instead.
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  verbose: true,
  validateSchema: false,
  code: { optimize: false },
};

/** One ajv ValidateFunction per kind, plus `config` for ploy.config.yaml. */
export type KindValidators = Record<Kind, ValidateFunction> & { config: ValidateFunction };

/**
 * A fresh Ajv with every schema file except the editor bundle added (nothing compiled yet).
 * ajv loads only here: with the build's precompiled validators a CLI start never pays for it.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const require = createRequire(import.meta.url);
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // No schema uses `format` yet (URLs may hold a whole ${secret:NAME}); registered so one may.
  const formats = require('ajv-formats');
  const addFormats = (formats.default ?? formats) as (ajv: Ajv2020) => Ajv2020;
  const ajv = new Ajv({ ...AJV_OPTIONS, ...options });
  addFormats(ajv);
  for (const key of ['common', 'App', 'Monitor', 'Job', 'Notification', 'config'] as const) {
    ajv.addSchema(schemas[key]);
  }
  return ajv;
}

let cached: KindValidators | undefined;

/** The validators compiled at build time (build-standalone.ts), beside the compiled module. */
export const STANDALONE_FILE = 'standalone-validators.cjs';

/** The build's precompiled validators, when this module runs from dist/ and they exist. */
function precompiled(): KindValidators | undefined {
  const file = join(dirname(fileURLToPath(import.meta.url)), STANDALONE_FILE);
  if (!existsSync(file)) return undefined;
  return createRequire(import.meta.url)(file) as KindValidators;
}

/**
 * Compiles the validators (one Ajv instance, `allErrors` + `strict`); memoized, since compiling
 * costs 100-250 ms in a fresh process and runs on every CLI start. Validate the spec as plain data: with
 * each Sensitive replaced by its `template` string, so no secret value is needed or exposed.
 */
export function compileKindValidators(): KindValidators {
  if (cached) return cached;
  cached = precompiled();
  if (cached) return cached;
  const ajv = createAjv();
  const get = (key: keyof PloySchemas): ValidateFunction => {
    const fn = ajv.getSchema(schemas[key].$id as string);
    if (!fn) throw new Error(`schema ${key} did not compile`);
    return fn;
  };
  cached = {
    App: get('App'),
    Monitor: get('Monitor'),
    Job: get('Job'),
    Notification: get('Notification'),
    config: get('config'),
  };
  return cached;
}
