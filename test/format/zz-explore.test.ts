import { it } from 'vitest';
import { mkdir, symlink, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate, show } from './harness.js';
const app = (n: string) => `kind: App\nname: ${n}\nimage: x\n`;
const cases: Record<string, [Record<string,string>, any?]> = {
  unknownField: [{ 'a.yaml': 'kind: App\nname: web\nimgae: nginx\n' }],
  both: [{ 'a.yaml': 'kind: App\nname: web\nimage: x\nbuild: {context: .}\n' }],
  monNoProbe: [{ 'a.yaml': 'kind: Monitor\nname: m\n' }],
  mon2: [{ 'a.yaml': 'kind: Monitor\nname: m\ntcp: {host: a, port: 0}\nping: {host: a}\n' }],
  jobNo: [{ 'a.yaml': 'kind: Job\nname: j\n' }],
  hc: [{ 'a.yaml': 'kind: App\nname: web\nimage: x\nhealthcheck: {interval: 1s}\nrestart: nevr\n' }],
  notif2: [{ 'a.yaml': 'kind: Notification\nname: n\nslack: {webhookUrl: "http://x"}\nntfy: {topic: t}\nevents: [monitor.dwn]\n' }],
  dup: [{ 'a.yaml': app('web'), 'b/c.yaml': '# c\n' + app('web') }],
  cycle3: [{ 'a.yaml': 'kind: App\nname: a\nimage: x\ndependsOn: [b]\n---\nkind: App\nname: b\nimage: x\ndependsOn: [c]\n---\nkind: App\nname: c\nimage: x\ndependsOn:\n  - a\n' }],
  mergeAnchors: [{ 'a.yaml': 'kind: App\nname: web\nimage: x\nenv: &e {A: "1"}\n---\nkind: App\nname: api\nimage: x\nenv:\n  <<: *e\n' }],
  linkOut: [{ 'a.yaml': app('a') }, { setup: async (r: string) => { const o = await mkdtemp(join(tmpdir(), 'out-')); await writeFile(join(o, 'evil.yaml'), app('evil')); await symlink(join(o, 'evil.yaml'), join(r, 'evil.yaml')); await symlink(o, join(r, 'outdir')); await symlink(join(r, 'nope.yaml'), join(r, 'broken.yaml')); await symlink('.', join(r, 'loop')); } }],
  cronBad: [{ 'a.yaml': ['* * *', '@sometimes', '@every', '@every 90', '12:00', '0 0 30 2 *'].map((s, i) => `kind: Job\nname: j${i}\nschedule: "${s}"\nshell: {command: x}\n`).join('---\n') }],
  multiline: [{ 'a.yaml': 'kind: Job\nname: j\nschedule: "@daily"\nshell:\n  command: |\n    echo hi\n    echo ${env:NOPE}\n    echo ${secret:S}\n' }],
  secretCond: [{ 'a.yaml': 'kind: Monitor\nname: m\nhttp: {url: "https://x"}\nconditions: ["[BODY].token == ${secret:T}"]\n' }, { env: { PLOY_SECRET_T: 'hunter2' } }],
};
it('explore', async () => {
  for (const [k, [files, opts]] of Object.entries(cases)) {
    const r = await validate(files, opts);
    console.log(`--- ${k} resources: ${r.resources.map((x) => x.key + '@' + x.pos.file).join(' ')}\n${r.diagnostics.map((d) => `${d.severity} ${show(d)} col${d.column}`).join('\n')}`);
  }
});
