import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../engine/load/file-rules.js';
import { errorsOf, expectOne, expectOnlyErrors, expectValid, validate, validateFiles, yaml } from './harness.js';

// FORMAT.md, "Files": which files are read, and the YAML rules inside them.

const app = (name: string) => yaml('kind: App', `name: ${name}`, 'image: nginx:1.27');
const namesOf = async (files: Record<string, string>) =>
  (await validate(files)).resources.map((r) => `${r.pos.file}:${r.name}`).sort();

const outside: string[] = [];
afterAll(() => Promise.all(outside.map((d) => rm(d, { recursive: true, force: true }))));

describe('which files are read', () => {
  it('reads every *.yaml and *.yml file at any depth below the source root', async () => {
    const names = await namesOf({
      'a.yaml': app('a'),
      'b.yml': app('b'),
      'apps/web/c.yaml': app('c'),
      'deep/er/still/d.YML': app('d'),
    });
    expect(names).toEqual(['a.yaml:a', 'apps/web/c.yaml:c', 'b.yml:b', 'deep/er/still/d.YML:d']);
  });

  it('skips dot-files and anything inside dot-folders such as .github/', async () => {
    // Each skipped file is broken YAML: reading any of them would be an error.
    const ds = await validateFiles({
      'a.yaml': app('a'),
      '.hidden.yaml': 'kind: [',
      '.gitlab-ci.yml': 'stages: [',
      '.github/workflows/ci.yml': 'on: [',
      'apps/.cache/x.yaml': 'kind: [',
    });
    expect(ds).toEqual([]);
  });

  it('skips ploy.config.yaml, at the root and in sub-folders', async () => {
    const r = await validate({
      'a.yaml': app('a'),
      'ploy.config.yaml': yaml('source: {path: .}', 'store: {url: embedded}'),
      'env/prod/ploy.config.yaml': yaml('docker: {mode: swarm}'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources.map((x) => x.name)).toEqual(['a']);
  });

  it('skips paths matched by .ployignore at the source root (gitignore syntax)', async () => {
    const names = await namesOf({
      '.ployignore': yaml('# drafts and vendored charts', 'drafts/', '*.draft.yaml', '/local.yaml', '!keep.draft.yaml'),
      'a.yaml': app('a'),
      'drafts/b.yaml': 'kind: [',
      'apps/c.draft.yaml': 'kind: [',
      'local.yaml': 'kind: [',
      'apps/local.yaml': app('nested-local'),
      'keep.draft.yaml': app('kept'),
    });
    expect(names).toEqual(['a.yaml:a', 'apps/local.yaml:nested-local', 'keep.draft.yaml:kept']);
  });

  it('ignores files with other extensions', async () => {
    const ds = await validateFiles({
      'a.yaml': app('a'),
      'README.md': '# not yaml: [',
      'app.json': '{"kind": "App"}',
      'notes.yaml.bak': 'kind: [',
      Dockerfile: 'FROM nginx',
      yaml: 'kind: [',
    });
    expect(ds).toEqual([]);
  });

  it('accepts an empty file and a comment-only file', async () => {
    const r = await validate({
      'empty.yaml': '',
      'comments.yml': yaml('# nothing here yet', '# kind: App'),
      'blank.yaml': '\n\n',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources).toEqual([]);
  });

  it('reads several documents per file, separated by ---', async () => {
    const r = await validate({
      'all.yaml': `${app('web')}---\n${yaml('kind: Monitor', 'name: web-up', 'docker: {app: web}')}---\n# an empty document\n---\n${yaml('kind: Job', 'name: tick', 'schedule: "@hourly"', 'shell: {command: "true"}')}`,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources.map((x) => `${x.key}@${x.pos.line}`)).toEqual(['App/web@1', 'Monitor/web-up@5', 'Job/tick@11']);
  });

  it('reports errors in the second document of a file at their line in the file', async () => {
    const ds = await validateFiles({
      'two.yaml': `${app('a')}---\n${yaml('kind: App', 'name: b', 'image: x', 'replicas: many')}`,
    });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'two.yaml', line: 8, words: ['replicas', 'integer'] }]);
  });
});

describe('large files and links', () => {
  it('refuses a file over 5 MB without reading it', async () => {
    const r = await validate(
      { 'a.yaml': app('a') },
      {
        setup: async (root) => {
          // Broken YAML: if it were read, a syntax error would show up too.
          await writeFile(join(root, 'huge.yaml'), `kind: [\n${'#'.repeat(MAX_FILE_BYTES)}\n`);
        },
      },
    );
    expectOnlyErrors(r.diagnostics, [
      { code: 'file-too-large', file: 'huge.yaml', line: 1, words: ['huge.yaml', '5 MB', 'not read'] },
    ]);
    expect(r.resources.map((x) => x.name)).toEqual(['a']);
  });

  it('reads a file of exactly 5 MB', async () => {
    const head = app('big');
    const ds = await validateFiles({
      'big.yaml': `${head}${'#'.repeat(MAX_FILE_BYTES - head.length - 1)}\n`,
    });
    expect(ds).toEqual([]);
  });

  it('refuses a symlink to a file outside the source root, with a diagnostic', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'ploy-outside-'));
    outside.push(elsewhere);
    await writeFile(join(elsewhere, 'evil.yaml'), app('evil'));
    const r = await validate(
      { 'a.yaml': app('a') },
      { setup: (root) => symlink(join(elsewhere, 'evil.yaml'), join(root, 'evil.yaml')) },
    );
    expectOnlyErrors(r.diagnostics, [
      {
        code: 'path-escape',
        file: 'evil.yaml',
        line: 1,
        words: ['evil.yaml', 'outside the source root', 'not read'],
      },
    ]);
    expect(r.resources.map((x) => x.name)).toEqual(['a']);
  });

  it('refuses a symlinked folder outside the source root, with a diagnostic', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'ploy-outside-'));
    outside.push(elsewhere);
    await writeFile(join(elsewhere, 'evil.yaml'), app('evil'));
    const r = await validate({ 'a.yaml': app('a') }, { setup: (root) => symlink(elsewhere, join(root, 'shared')) });
    expectOnlyErrors(r.diagnostics, [
      {
        code: 'path-escape',
        file: 'shared',
        line: 1,
        words: ['shared', 'folder', 'outside the source root'],
      },
    ]);
    expect(r.resources.map((x) => x.name)).toEqual(['a']);
  });

  it('says nothing about a symlinked folder outside the root that .ployignore excludes', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'ploy-outside-'));
    outside.push(elsewhere);
    const ds = await validateFiles(
      { 'a.yaml': app('a'), '.ployignore': 'vendor/\n' },
      { setup: (root) => symlink(elsewhere, join(root, 'vendor')) },
    );
    expect(ds).toEqual([]);
  });

  it('follows a symlink that stays inside the source root', async () => {
    const r = await validate(
      { 'real/a.yaml': app('a') },
      { setup: (root) => symlink(join(root, 'real/a.yaml'), join(root, 'a.yaml')) },
    );
    // The link is read under its own name, like any other file of the tree.
    expect(r.resources.map((x) => x.pos.file)).toContain('a.yaml');
    expect(errorsOf(r.diagnostics).filter((d) => d.code === 'path-escape')).toEqual([]);
  });

  it('does not loop on a symlink to its own folder', async () => {
    const r = await validate({ 'a.yaml': app('a') }, { setup: (root) => symlink('.', join(root, 'loop')) });
    expect(r.diagnostics).toEqual([]);
    expect(r.resources.map((x) => x.pos.file)).toEqual(['a.yaml']);
  });

  it('reports a broken symlink as a file that does not exist, not as an escape', async () => {
    const ds = await validateFiles(
      { 'a.yaml': app('a') },
      { setup: (root) => symlink(join(root, 'gone.yaml'), join(root, 'b.yaml')) },
    );
    expectOnlyErrors(ds, [{ code: 'file-unreadable', file: 'b.yaml', line: 1, words: ['b.yaml', 'does not exist'] }]);
  });
});

describe('YAML 1.2', () => {
  it('reads no, off and yes as strings', async () => {
    const r = await validate({
      'a.yaml': yaml(
        'kind: App',
        'name: web',
        'image: nginx',
        'restart: no',
        'env: {A: yes, B: off, C: no}',
        'labels: {enabled: yes}',
      ),
    });
    expectValid(r.diagnostics);
    expect(r.resources[0].spec).toMatchObject({
      restart: 'no',
      env: { A: 'yes', B: 'off', C: 'no' },
      labels: { enabled: 'yes' },
    });
  });

  it('expands merge keys (<<) from an anchor in the same document', async () => {
    const r = await validate({
      'a.yaml': yaml(
        'kind: App',
        'name: web',
        'image: nginx',
        'labels: &common {team: shop, tier: web}',
        'env:',
        '  <<: *common',
        '  NODE_ENV: production',
      ),
    });
    expectValid(r.diagnostics);
    expect(r.resources[0].spec.env).toEqual({ team: 'shop', tier: 'web', NODE_ENV: 'production' });
  });

  it('reports an alias whose anchor is in another document, at the alias, not as a YAML bomb', async () => {
    const ds = await validateFiles({
      'a.yaml': `${yaml('kind: App', 'name: web', 'image: x', 'env: &e {A: "1"}')}---\n${yaml('kind: App', 'name: api', 'image: x', 'env:', '  <<: *e')}`,
    });
    const d = expectOne(ds, {
      code: 'yaml-syntax',
      file: 'a.yaml',
      line: 10,
      words: ['*e', 'same document'],
    });
    expect(d.message).not.toMatch(/bomb/i);
  });

  it('reports a duplicate key in a mapping at the second one', async () => {
    const ds = await validateFiles({
      'a.yaml': yaml('kind: App', 'name: web', 'image: nginx:1', 'env:', '  A: "1"', '  A: "2"'),
    });
    expectOnlyErrors(ds, [{ code: 'yaml-duplicate-key', file: 'a.yaml', line: 6, words: ['Duplicate key', '"A"'] }]);
  });

  it('reports a duplicate top-level field even when both values are valid', async () => {
    const ds = await validateFiles({
      'apps/web.yaml': yaml('kind: App', 'name: web', 'image: nginx:1', 'image: nginx:2'),
    });
    expectOnlyErrors(ds, [{ code: 'yaml-duplicate-key', file: 'apps/web.yaml', line: 4, words: ['"image"'] }]);
  });

  it('reports a syntax error with its line and keeps reading the other files', async () => {
    const r = await validate({
      'bad.yaml': yaml('kind: App', 'name: web', 'env:', '\tA: "1"'),
      'good.yaml': app('good'),
    });
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.file, d.line])).toEqual([['yaml-syntax', 'bad.yaml', 4]]);
    expect(r.resources.map((x) => x.name)).toEqual(['good']);
  });

  it('says a document that is not a mapping is not a resource', async () => {
    const ds = await validateFiles({ 'list.yaml': `${app('a')}---\n- kind: App\n  name: b\n` });
    expectOnlyErrors(ds, [{ code: 'not-a-resource', file: 'list.yaml', line: 5, words: ['mapping', 'kind'] }]);
  });
});
