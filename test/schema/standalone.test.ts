import { createRequire } from 'node:module';
import * as standalone from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileKindValidators, createAjv, schemas } from '../../engine/validate/schemas.js';

/** The build compiles the schemas ahead of time (build-standalone.ts); they must judge exactly as the runtime compile does. */
describe('precompiled validators', () => {
  const code = ((standalone as any).default?.default ?? (standalone as any).default)(
    createAjv({ code: { source: true, optimize: false } }),
    {
      App: schemas.App.$id,
      Monitor: schemas.Monitor.$id,
      config: schemas.config.$id,
    },
  );
  const mod: Record<string, any> = {};
  new Function('exports', 'require', code)(mod, createRequire(import.meta.url));
  const runtime = compileKindValidators();

  it.each([
    ['App', 'image: nginx\nports: ["8080:80"]\nimgae: typo\nreplicas: -1\n'],
    ['App', 'build: {context: .}\nimage: both\n'],
    ['Monitor', 'tcp: {host: x, port: 99999}\nhttp: {url: http://x}\ninterval: 5 min\n'],
    ['Monitor', 'http: {url: http://x}\nconditions: ["[STATUS] == 200"]\n'],
    ['config', 'store: {ur1: embedded}\nsync: {auto: maybe}\n'],
  ])('gives the same verdict and errors for a %s', (kind, body) => {
    const doc = kind === 'config' ? parse(body) : { kind, name: 'x', ...parse(body) };
    const a = runtime[kind as 'App'];
    const b = mod[kind];
    expect(b(doc)).toBe(a(doc));
    const strip = (es: any[] | null | undefined) =>
      (es ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
    expect(strip(b.errors)).toEqual(strip(a.errors));
  });
});
