import { it } from 'vitest';
import { mkdir, symlink, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate, show } from './harness.js';
const app = (n: string) => `kind: App\nname: ${n}\nimage: x\n`;
const cases: Record<string, [Record<string,string>, any?]> = {
  files: [{ 'a.yaml': app('a'), 'b.yml': app('b'), 'deep/x/c.YAML': app('c'), '.hidden.yaml': app('d'), '.github/workflows/ci.yml': 'on: push\n', 'x/.ci/q.yaml': 'bad: [', 'ploy.config.yaml': 'source: {path: .}\n', 'sub/ploy.config.yaml': 'nope: 1\n', '.ployignore': 'ignored/\n*.draft.yaml\n', 'ignored/z.yaml': 'bad', 'q.draft.yaml': 'bad', 'readme.md': 'x', 'a.json': '{}', 'empty.yaml': '', 'comment.yaml': '# hi\n# there\n', 'multi.yaml': `${app('m1')}---\n${app('m2')}---\n# nothing\n` }],
  big: [{ 'a.yaml': app('a') }, { setup: async (r: string) => { await writeFile(join(r, 'big.yaml'), 'a: "' + 'x'.repeat(5*1024*1024) + '"\n'); } }],
  linkOut: [{ 'a.yaml': app('a') }, { setup: async (r: string) => { const o = await mkdtemp(join(tmpdir(), 'out-')); await writeFile(join(o, 'evil.yaml'), app('evil')); await symlink(join(o, 'evil.yaml'), join(r, 'evil.yaml')); await symlink(o, join(r, 'outdir')); } }],
  linkIn: [{ 'real/a.yaml': app('a') }, { setup: async (r: string) => { await symlink(join(r, 'real/a.yaml'), join(r, 'link.yaml')); } }],
  linkBroken: [{ 'x.yaml': app('x') }, { setup: async (r: string) => { await symlink(join(r, 'nope.yaml'), join(r, 'broken.yaml')); } }],
  nested: [{ 'a.yaml': 'kind: App\nname: a\nimage: x\nhealthcheck:\n  http: {path: /, prot: 80}\n' }],
  cycle3: [{ 'a.yaml': 'kind: App\nname: a\nimage: x\ndependsOn: [b]\n---\nkind: App\nname: b\nimage: x\ndependsOn: [c]\n---\nkind: App\nname: c\nimage: x\ndependsOn:\n  - a\n' }],
  selfdep: [{ 'a.yaml': 'kind: App\nname: a\nimage: x\ndependsOn: [a]\n' }],
  thenCycle: [{ 'a.yaml': 'kind: Job\nname: a\nschedule: "@daily"\nshell: {command: x}\nthen: [b]\n---\nkind: Job\nname: b\nschedule: "@daily"\nshell: {command: x}\nthen: [a]\n' }],
  crons: [{ 'a.yaml': ['15 2 * * *', '0 15 2 * * *', '0 15 2 * * * 2030', '@daily', '@hourly', '@every 90s', '@every 500ms', '@every 1h'].map((s, i) => `kind: Job\nname: j${i}\nschedule: "${s}"\nshell: {command: x}\n`).join('---\n') }],
  cronBad: [{ 'a.yaml': ['* * *', '* * * * * * * *', '@sometimes', '@every', '@every 90', 'hello', '0 0 30 2 *'].map((s, i) => `kind: Job\nname: j${i}\nschedule: "${s}"\nshell: {command: x}\n`).join('---\n') }],
  condsOK: [{ 'a.yaml': 'kind: Monitor\nname: m\nhttp: {url: "https://x"}\nconditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 800", "[BODY].status == UP", "len([BODY].checks) > 0"]\n' }],
  condBadFlow: [{ 'a.yaml': 'kind: Monitor\nname: m\nhttp: {url: "https://x"}\nconditions: ["[STATUS] == 200",\n  "[STATUS] >>> 1"]\n' }],
  condPlaceholder: [{ 'a.yaml': 'kind: Monitor\nname: m\nhttp: {url: "https://x"}\nconditions:\n  - "[STATU] == 200"\n  - "foo(1) == 2"\n  - "[BODY].a[ == 1"\n' }],
};
it('explore', async () => {
  for (const [k, [files, opts]] of Object.entries(cases)) {
    const r = await validate(files, opts);
    console.log(`--- ${k} resources: ${r.resources.map((x) => x.key + '@' + x.pos.file).join(' ')}\n${r.diagnostics.map((d) => `${d.severity} ${show(d)} col${d.column}`).join('\n')}`);
  }
});
