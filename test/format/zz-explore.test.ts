import { it } from 'vitest';
import { validateFiles, show } from './harness.js';
const cases: Record<string, Record<string,string>> = {
  unknownField: { 'a.yaml': 'kind: App\nname: web\nimgae: nginx\n' },
  unknownField2: { 'a.yaml': 'kind: App\nname: web\nimage: nginx\nimgae: nginx\n' },
  upper: { 'a.yaml': 'kind: App\nname: Web\nimage: nginx\n' },
  long64: { 'a.yaml': `kind: App\nname: ${'a'.repeat(64)}\nimage: nginx\n` },
  noImage: { 'a.yaml': 'kind: App\nname: web\n' },
  both: { 'a.yaml': 'kind: App\nname: web\nimage: x\nbuild: {context: .}\n' },
  monNoProbe: { 'a.yaml': 'kind: Monitor\nname: m\n' },
  mon2: { 'a.yaml': 'kind: Monitor\nname: m\ntcp: {host: a, port: 1}\nping: {host: a}\n' },
  jobNo: { 'a.yaml': 'kind: Job\nname: j\n' },
  job2: { 'a.yaml': 'kind: Job\nname: j\nschedule: "@daily"\nshell: {command: x}\nhttp: {url: "http://x"}\n' },
  notifNo: { 'a.yaml': 'kind: Notification\nname: n\n' },
  notif2: { 'a.yaml': 'kind: Notification\nname: n\nslack: {webhookUrl: "http://x"}\nntfy: {topic: t}\n' },
  badEvent: { 'a.yaml': 'kind: Notification\nname: n\nntfy: {topic: t}\nevents:\n  - monitor.down\n  - monitor.dwn\n' },
  dur: { 'a.yaml': 'kind: Monitor\nname: m\ntcp: {host: a, port: 1}\ninterval: 30 seconds\n' },
  mem: { 'a.yaml': 'kind: App\nname: web\nimage: x\nresources: {memory: 256MB}\n' },
  port0: { 'a.yaml': 'kind: Monitor\nname: m\ntcp: {host: a, port: 0}\n' },
  port70k: { 'a.yaml': 'kind: App\nname: web\nimage: x\nports: ["70000:80"]\n' },
  labelsNum: { 'a.yaml': 'kind: App\nname: web\nimage: x\nlabels: {tier: 1}\n' },
  kindBad: { 'a.yaml': 'kind: Ap\nname: web\nimage: x\n' },
  noKind: { 'a.yaml': 'name: web\nimage: x\n' },
  noName: { 'a.yaml': 'kind: App\nimage: x\n' },
  dup: { 'a.yaml': 'kind: App\nname: web\nimage: x\n', 'b/c.yaml': '# c\nkind: App\nname: web\nimage: y\n' },
  protectStr: { 'a.yaml': 'kind: App\nname: web\nimage: x\nprotect: "yes"\n' },
  cond: { 'a.yaml': 'kind: Monitor\nname: m\nhttp: {url: "http://x"}\nconditions:\n  - "[STATUS] == 200"\n  - "[STATUS] =="\n' },
  cron: { 'a.yaml': 'kind: Job\nname: j\nshell: {command: x}\nschedule: "61 * * * *"\n' },
  every: { 'a.yaml': 'kind: Job\nname: j\nshell: {command: x}\nschedule: "@every soon"\n' },
  tz: { 'a.yaml': 'kind: Job\nname: j\nshell: {command: x}\nschedule: "@daily"\ntimezone: Mars/Olympus\n' },
  cycle: { 'a.yaml': 'kind: App\nname: a\nimage: x\ndependsOn: [b]\n---\nkind: App\nname: b\nimage: x\ndependsOn: [a]\n' },
};
it('explore', async () => {
  for (const [k, files] of Object.entries(cases)) {
    const ds = await validateFiles(files);
    console.log(`--- ${k}\n${ds.map(show).join('\n')}`);
  }
});
