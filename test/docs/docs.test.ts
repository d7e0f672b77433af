import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { anchorOf } from '../../engine/reference/markdown.js';
import { makeDir, ploy } from '../support/cli.js';
import { type Block, codeBlocks, firstLine, markdownFiles, ROOT } from './markdown.js';

/**
 * The docs work as written. Every ```yaml block in docs/ is validated as `ploy validate` would:
 * - the resource blocks of one page together, as one config repo (each block a file), so a page
 *   may show a Notification in one block and the Monitor that notifies it in the next;
 * - a block of engine settings (marked with the info string `yaml ploy.config.yaml` or a first
 *   line `# ploy.config.yaml`, or plainly one: no `kind`, only ploy.config.yaml's top-level
 *   keys) on its own, as ploy.config.yaml;
 * - a block marked as a fragment (info string `yaml fragment`, or a first line `# fragment`),
 *   which is not a whole resource, is only parsed.
 * `${secret:NAME}` and `${env:NAME}` get placeholder values. Every relative link in docs/ and
 * README.md must reach a file or folder inside the project, and its #anchor a heading there.
 */

/** Links that leave the project and are known to; each entry must still exist (remove it when fixed). */
const KNOWN_OUTSIDE: Record<string, string[]> = {};

const isYaml = (b: Block) => /^(yaml|yml)\b/.test(b.info);
const isFragment = (b: Block) => /\bfragment\b/.test(b.info) || firstLine(b) === '# fragment';
const SETTINGS = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'schema/ploy-config.schema.json'), 'utf8')).properties));
/** Marked as engine settings, or plainly so: no `kind`, and only top-level keys of ploy.config.yaml. */
function isConfig(b: Block): boolean {
  if (/\bploy\.config\.yaml\b/.test(b.info) || firstLine(b) === '# ploy.config.yaml') return true;
  const values = parseAllDocuments(b.text).map((d) => ('toJS' in d ? d.toJS() : undefined));
  return values.every((v) => v && typeof v === 'object' && !('kind' in v) && Object.keys(v).every((k) => SETTINGS.has(k)));
}

/** Placeholder values for every `${secret:NAME}` and `${env:NAME}` in the texts. */
function placeholders(texts: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const t of texts) {
    for (const m of t.matchAll(/\$\{secret:([A-Za-z0-9_.-]+)\}/g))
      env[`PLOY_SECRET_${m[1]}`] = 'https://placeholder.example/secret';
    for (const m of t.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)) env[m[1]] = 'placeholder';
  }
  return env;
}

interface ValidateJson {
  valid: boolean;
  diagnostics: Array<{ severity: string; message: string; file: string; line: number }>;
}

async function validateJson(args: string[], cwd: string, env: Record<string, string>): Promise<ValidateJson> {
  const r = await ploy(['validate', '--format', 'json', ...args], { cwd, env });
  if (!r.stdout.trim()) throw new Error(`ploy validate printed nothing (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ValidateJson;
}

/** The headings' anchors of a Markdown file as GitHub makes them (repeats get -1, -2, ...), and explicit HTML ids. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const prose = markdown.replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1\s*$/gm, '');
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = anchorOf(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of prose.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]);
  return out;
}

/** The link targets of a Markdown text, outside code: inline links, images and reference definitions. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const defs = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  return [...inline, ...defs];
}

const files = markdownFiles();
const docs = files.filter((f) => f.startsWith(join(ROOT, 'docs')));

describe('the YAML examples in docs/', () => {
  for (const file of docs) {
    const name = relative(ROOT, file);
    const blocks = codeBlocks(readFileSync(file, 'utf8')).filter(isYaml);
    if (blocks.length === 0) continue;

    it(`${name}: every fragment parses`, () => {
      for (const b of blocks.filter(isFragment)) {
        const errors = parseAllDocuments(b.text).flatMap((d) => ('errors' in d ? d.errors : []));
        expect(
          errors.map((e) => e.message),
          `${name}:${b.line}`,
        ).toEqual([]);
      }
    });

    const resources = blocks.filter((b) => !isFragment(b) && !isConfig(b));
    if (resources.length)
      it(`${name}: the resources are valid`, async () => {
        const dir = await makeDir(Object.fromEntries(resources.map((b) => [`block-${b.line}.yaml`, b.text])));
        const result = await validateJson(['--source', dir], dir, placeholders(resources.map((b) => b.text)));
        // Point at the line in the Markdown file, not in the temp file.
        const errors = result.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => `${name}:${Number(/block-(\d+)/.exec(d.file)?.[1] ?? 0) + d.line - 1}: ${d.message}`);
        expect(errors).toEqual([]);
      });

    for (const b of blocks.filter((x) => isConfig(x) && !isFragment(x)))
      it(`${name}:${b.line}: the ploy.config.yaml is valid`, async () => {
        const dir = await makeDir({ 'ploy.config.yaml': b.text, 'source/.keep': '' });
        await mkdir(join(dir, 'secrets'), { recursive: true });
        const result = await validateJson(['--config', 'ploy.config.yaml', '--source', 'source'], dir, placeholders([b.text]));
        expect(
          result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${name}:${b.line + d.line - 1}: ${d.message}`),
        ).toEqual([]);
      });
  }

  it('finds the YAML blocks of a page and tells fragments and settings apart', () => {
    const md =
      '# T\n\n```yaml\nkind: App\n```\n\n```yaml fragment\nimage: x\n```\n\n~~~yaml\n# ploy.config.yaml\n~~~\n\n```yaml\nstore: {url: embedded}\n```\n\n```yaml\nimage: x\n```\n';
    const blocks = codeBlocks(md);
    expect(blocks.map((b) => [b.line, isFragment(b), isConfig(b)])).toEqual([
      [4, false, false],
      [8, true, false],
      [12, false, true],
      [16, false, true],
      [20, false, false], // neither: validated as a resource, and fails for want of a kind
    ]);
  });
});

describe('the links in docs/ and README.md', () => {
  it('are found outside code, with anchors as GitHub makes them', () => {
    const md = '# Hello, World\n## Hello, World\n[a](x.md#y) `[b](z.md)` [c]: <d.md>\n```\n[e](f.md)\n```\n[g]: h.md\n';
    expect(linkTargets(md)).toEqual(['x.md#y', 'h.md']);
    expect([...anchors(md)]).toEqual(['hello-world', 'hello-world-1']);
  });

  for (const file of files) {
    const name = relative(ROOT, file);
    it(`${name}: every relative link reaches a file in the project (and its anchor)`, () => {
      const text = readFileSync(file, 'utf8');
      const problems: string[] = [];
      const outside: string[] = [];
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#', 2);
        const to = path ? resolve(dirname(file), decodeURI(path)) : file;
        if (relative(ROOT, to).startsWith('..')) {
          outside.push(target);
          continue;
        }
        if (!existsSync(to)) {
          problems.push(`${target}: no such file`);
          continue;
        }
        if (anchor && statSync(to).isFile() && to.endsWith('.md') && !anchors(readFileSync(to, 'utf8')).has(anchor))
          problems.push(`${target}: no heading with the anchor #${anchor}`);
      }
      expect(problems, name).toEqual([]);
      expect(outside.sort(), `${name} links outside the project: users do not have those files`).toEqual(
        (KNOWN_OUTSIDE[name] ?? []).sort(),
      );
    });
  }
});
