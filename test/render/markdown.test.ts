import { describe, expect, it } from 'vitest';
import { hmacDigest } from '../../engine/kinds/digest.js';
import type { Resource, ResourceKey } from '../../engine/model/resource.js';
import { Sensitive } from '../../engine/model/sensitive.js';
import { actualHash } from '../../engine/plan/actual.js';
import { type ActualResource, computePlan, desiredSpec } from '../../engine/plan/compute.js';
import type { PlanDocument } from '../../engine/plan/types.js';
import { planDocument } from '../../engine/plan/document.js';
import { COMMENT_BUDGET, renderMarkdown } from '../../engine/render/markdown.js';

type DocChange = PlanDocument['changes'][number];

const ROW = /^\| (🟢|🟡|🟣|🔴) /;
const LEFT_OUT =
  /Details of (\d+) resources? were left out to stay under GitHub's comment limit; run ploy plan locally for the full plan\./;
const digest = hmacDigest(new Uint8Array(32).fill(7));

/** An App resource as the loader makes it, with a secret in its env. */
function app(name: string, image: string, token: string, extra: Record<string, string> = {}): Resource {
  const pos = { file: `apps/${name}.yaml`, line: 1, column: 1 };
  const spec = { image, env: { TOKEN: new Sensitive(token, '${secret:TOKEN}', ['TOKEN']), ...extra } };
  return { kind: 'App', name, key: `App/${name}`, spec, pos, posOf: () => pos };
}

/** `n` apps: the even ones exist with an older image and token (replaced: the image changed), the odd ones are new (creates). */
function bigPlan(n: number, extra: Record<string, string> = {}): PlanDocument {
  const name = (i: number) => `app-${String(i).padStart(5, '0')}`;
  const desired = Array.from({ length: n }, (_, i) => app(name(i), 'nginx:1.28', 'new-t0ken', extra));
  const resources = new Map<ResourceKey, ActualResource>();
  for (let i = 0; i < n; i += 2) {
    const spec = desiredSpec(app(name(i), 'nginx:1.27', 'old-t0ken'), digest);
    resources.set(`App/${name(i)}`, { kind: 'App', name: name(i), spec, protect: false });
  }
  const actual = { resources, hash: actualHash(resources) };
  return planDocument(computePlan({ revision: 'r', desired, actual, digest, prune: true }));
}

/** A plan document written by hand: `changes` as given, summary counted from them. */
function doc(changes: DocChange[]): PlanDocument {
  const summary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  return { formatVersion: 1, revision: 'r', actualHash: 'h', summary, changes, kept: [], diagnostics: [] };
}

function update(name: string, diffs: DocChange['diffs']): DocChange {
  return {
    action: 'update',
    kind: 'Job',
    name,
    order: 0,
    before: {},
    after: {},
    afterHash: 'h',
    diffs,
    reason: 'changed',
    file: `jobs/${name}.yaml`,
    line: 1,
  };
}

/** Structure the cuts must never break: whole rows, balanced tags. */
function expectWellFormed(md: string) {
  const lines = md.split('\n');
  for (const l of lines.filter((x) => x.startsWith('|'))) expect(l).toMatch(/ \|$|^\|---/);
  expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
  for (const l of lines.filter((x) => x.includes('<summary>'))) expect(l).toMatch(/^<summary>.*<\/summary>$/);
  expect(md.endsWith('\n')).toBe(true);
}

describe('markdown for a pull-request comment', () => {
  it('renders a small plan in full, with no note', () => {
    const plan = bigPlan(4);
    const md = renderMarkdown(plan);
    expect(md).toBe(renderMarkdown(plan, { limit: Number.POSITIVE_INFINITY }));
    expect(md).not.toMatch(/comment limit/);
    expect(md).toContain('**2** to create, **0** to update, **2** to replace');
    expect(md.match(/<details>/g)).toHaveLength(4);
    expect(md).toContain('| `image` | ~ "nginx:1.27" → "nginx:1.28" |');
    expect(md).toContain('| `env.TOKEN` | ~ (sensitive value changed) |');
    expect(md).toContain('| `env` | + {"TOKEN":"(sensitive)"} |');
    expectWellFormed(md);
  });

  it('keeps a plan of 5,000 changes under the default limit, summary first, and says what was left out', () => {
    const md = renderMarkdown(bigPlan(5000));
    expect(COMMENT_BUDGET).toBe(60_000);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md.indexOf('**2500** to create, **0** to update, **2500** to replace')).toBeGreaterThan(0);
    expect(md).toMatch(LEFT_OUT);
    // Even the summary table does not fit 5,000 rows: it is cut, and says by how many.
    const rows = md.split('\n').filter((l) => ROW.test(l)).length;
    expect(rows).toBeGreaterThan(100);
    expect(md).toContain(`…and ${5000 - rows} more resources are not listed here`);
    expect(Number(LEFT_OUT.exec(md)?.[1])).toBe(5000 - (md.match(/<details>/g)?.length ?? 0) + countBare(md));
    expect(md.indexOf('comment limit')).toBeLessThan(md.indexOf('| | Resource | Why |'));
    expectWellFormed(md);
  });

  it('keeps the whole summary table when it fits, and leaves out details instead', () => {
    const plan = bigPlan(300);
    const md = renderMarkdown(plan, { limit: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md.split('\n').filter((l) => ROW.test(l))).toHaveLength(300);
    expect(md).not.toContain('more resources are not listed');
    expect(md).toMatch(LEFT_OUT);
    expectWellFormed(md);
  });

  it('shortens long values first, keeping every detail', () => {
    const long = 'x'.repeat(5000);
    const changes = Array.from({ length: 5 }, (_, i) =>
      update(`job-${i}`, [{ path: 'shell.command', before: long, after: `${long}y` }]),
    );
    const md = renderMarkdown(doc(changes), { limit: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md.match(/<details>/g)).toHaveLength(5);
    expect(md).toContain("Long values were shortened to stay under GitHub's comment limit");
    expect(md).not.toMatch(LEFT_OUT);
    expect(md).toMatch(/\| `shell.command` \| ~ "x{198}… → "x{198}… \|/);
    expectWellFormed(md);
  });

  it('then leaves out the field tables of the largest changes', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ path: `env.VAR_${i}`, before: 'a', after: 'b' }));
    const changes = [
      update('small-1', [{ path: 'schedule', before: '1', after: '2' }]),
      update('huge', many),
      update('small-2', [{ path: 'schedule', before: '3', after: '4' }]),
    ];
    const md = renderMarkdown(doc(changes), { limit: 4_000 });
    expect(md.length).toBeLessThanOrEqual(4_000);
    expect(md).toContain('Details of 1 resource were left out');
    expect(md).toContain("_400 field change(s) left out to stay under GitHub's comment limit._");
    expect(md).toContain('| `schedule` | ~ "1" → "2" |');
    expect(md).toContain('| `schedule` | ~ "3" → "4" |');
    expect(md.match(/<details>/g)).toHaveLength(3);
    expectWellFormed(md);
  });

  it('never shows a secret, however much it shortens', () => {
    const plan = bigPlan(40, { LONG: 'z'.repeat(1000) });
    const full = renderMarkdown(plan, { limit: Number.POSITIVE_INFINITY });
    for (const limit of [Number.POSITIVE_INFINITY, full.length - 1, 12_000, 6_000, 2_000]) {
      const md = renderMarkdown(plan, { limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      expect(md).not.toMatch(/t0ken|hmac-sha256|\$sensitive/);
      if (md.includes('| `env.TOKEN` |')) expect(md).toContain('| `env.TOKEN` | ~ (sensitive value changed) |');
      if (md.includes('| `env` |')) expect(md).toContain('| `env` | + {"TOKEN":"(sensitive)","LONG":"zzz');
      expectWellFormed(md);
    }
    // Shortened values keep the redaction: the secret comes first in env, before the cut.
    const shortened = renderMarkdown(plan, { limit: full.length - 1 });
    expect(shortened).toContain('Long values were shortened');
    expect(shortened).toMatch(/\| `env` \| \+ \{"TOKEN":"\(sensitive\)","LONG":"z+… \|/);
    expect(shortened).toContain('| `env.TOKEN` | ~ (sensitive value changed) |');
    expect(renderMarkdown(plan, { limit: 2_000 })).toMatch(LEFT_OUT);
  });

  it('cuts a long list of diagnostics, saying how many were left out', () => {
    const diagnostics = Array.from({ length: 5000 }, (_, i) => ({
      severity: 'error' as const,
      code: 'unknown-field' as const,
      message: `Unknown field "imgae" number ${i}`,
      file: `apps/app-${i}.yaml`,
      line: 2,
      column: 1,
    }));
    const md = renderMarkdown({ ...doc([]), diagnostics });
    expect(md.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(md).toContain('**5000 error(s): this revision cannot be applied.**');
    const shown = md.split('\n').filter((l) => l.startsWith('- ❌')).length;
    expect(md).toContain(`- …and ${5000 - shown} more diagnostics; run ploy validate locally for all of them.`);
    expect(md).toMatch(/No changes\. The actual state matches the source\.\n$/);
  });

  it('escapes values that look like HTML, so they cannot close the block they sit in', () => {
    const md = renderMarkdown(doc([update('html', [{ path: 'shell.command', after: '</details><b>x</b> | y' }])]));
    expect(md).toContain('| `shell.command` | + "&lt;/details&gt;&lt;b&gt;x&lt;/b&gt; \\| y" |');
    expectWellFormed(md);
  });
});

/** Resources whose block is there but whose field table was left out. */
const countBare = (md: string) => md.match(/field change\(s\) left out/g)?.length ?? 0;
