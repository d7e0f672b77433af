import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { buildDesired, type DesiredState } from '../../engine/kinds/desired.js';
import { envPolicy } from '../../engine/load/env-policy.js';
import { secretLookup } from '../../engine/load/secrets.js';
import { readDirectorySnapshot } from '../../engine/load/snapshot.js';
import type { Diagnostic, DiagnosticCode } from '../../engine/model/diagnostic.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';

/** How a test runs the load → validate pipeline; every field has the engine's default. */
export interface ValidateOptions {
  /** Environment for `${env:...}` and `PLOY_SECRET_*`; nothing of the test process leaks in. */
  env?: Record<string, string>;
  /** `env.allow` of ploy.config.yaml; by default none (only PLOY_VAR_* is readable), as in the engine. */
  envAllow?: string[];
  /** Files of the secrets dir (name → content); a temp dir outside the source root. */
  secrets?: Record<string, string>;
  dockerMode?: 'standalone' | 'swarm';
  proxyConfigured?: boolean;
  /** Prepares the source dir before it is read (symlinks, big files): gets its absolute path. */
  setup?: (root: string) => Promise<void>;
}

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ploy-format-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/**
 * Writes `files` (path relative to the source root → text) into a temp dir and runs what
 * `ploy validate` runs on it: readDirectorySnapshot, then buildDesired with the real validators.
 */
export async function validate(files: Record<string, string | Uint8Array>, opts: ValidateOptions = {}): Promise<DesiredState> {
  const root = await tempDir(files);
  await opts.setup?.(root);
  const secretsDir = opts.secrets ? await tempDir(opts.secrets) : undefined;
  const env = opts.env ?? {};
  const read = await readDirectorySnapshot(root);
  const desired = buildDesired(
    read.snapshot,
    {
      sourceRoot: root,
      dockerMode: opts.dockerMode ?? 'standalone',
      proxyConfigured: opts.proxyConfigured ?? false,
      validators: compileKindValidators(),
      interpolation: {
        env,
        envPolicy: envPolicy({ allow: opts.envAllow ?? [], reserved: [] }),
        secret: secretLookup(secretsDir, env),
        secrets: 'resolve',
      },
    },
    read.diagnostics,
  );
  // FORMAT.md: every diagnostic names the file (relative to the source root) and a line.
  for (const d of desired.diagnostics) {
    expect(d.file, `diagnostic without a relative file: ${d.message}`).toMatch(/^[^/\\]/);
    expect(d.file, 'paths use forward slashes').not.toContain('\\');
    expect(d.line, `diagnostic without a line: ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
  return desired;
}

/** The diagnostics of `validate(files, opts)`. */
export async function validateFiles(files: Record<string, string | Uint8Array>, opts?: ValidateOptions): Promise<Diagnostic[]> {
  return (await validate(files, opts)).diagnostics;
}

export const errorsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
export const warningsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'warning');

/** Asserts the source is valid: no errors (warnings allowed), printing them all when not. */
export function expectValid(ds: readonly Diagnostic[]): void {
  expect(errorsOf(ds).map(show)).toEqual([]);
}

/** What a user sees, one line: `file:line: code: message`. */
export const show = (d: Diagnostic) => `${d.file}:${d.line}: ${d.code}: ${d.message}`;

export interface Expected {
  code: DiagnosticCode;
  file: string;
  line: number;
  /** Words (or patterns) the message must contain. */
  words?: (string | RegExp)[];
  severity?: 'error' | 'warning';
}

/**
 * Asserts there is exactly one diagnostic with `code`, at `file:line`, whose message has every
 * one of `words`; returns it. Other diagnostics are allowed unless the caller checks them.
 */
export function expectOne(ds: readonly Diagnostic[], want: Expected): Diagnostic {
  const same = ds.filter((d) => d.code === want.code);
  expect(same.map(show), `one ${want.code} expected among:\n${ds.map(show).join('\n')}`).toHaveLength(1);
  const d = same[0];
  expect({ file: d.file, line: d.line, severity: d.severity }).toEqual({
    file: want.file,
    line: want.line,
    severity: want.severity ?? 'error',
  });
  for (const w of want.words ?? []) {
    if (typeof w === 'string') expect(d.message).toContain(w);
    else expect(d.message).toMatch(w);
  }
  return d;
}

/** Asserts the only errors are exactly these (in file/line order), each with its words. */
export function expectOnlyErrors(ds: readonly Diagnostic[], wants: Expected[]): void {
  const errs = errorsOf(ds);
  expect(errs.map(show), 'errors').toHaveLength(wants.length);
  wants.forEach((w, i) => {
    expect({ code: errs[i].code, file: errs[i].file, line: errs[i].line }, show(errs[i])).toEqual({
      code: w.code,
      file: w.file,
      line: w.line,
    });
    for (const word of w.words ?? []) {
      if (typeof word === 'string') expect(errs[i].message).toContain(word);
      else expect(errs[i].message).toMatch(word);
    }
  });
}

/** YAML text from lines, so a test reads like the file it writes (line numbers = array index + 1). */
export const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
