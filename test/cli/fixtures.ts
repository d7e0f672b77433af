import { join } from 'node:path';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';

/** A config repo with one resource of each kind the CLI can apply without Docker. */
export const BASIC: Record<string, string> = {
  'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
  'secrets/HOOK_TOKEN': 's3cr3t-hook-token\n',
  'repo/notifications.yaml': `kind: Notification
name: ops
webhook: {url: "http://127.0.0.1:9/hook", headers: {Authorization: "Bearer \${secret:HOOK_TOKEN}"}}
default: true
`,
  'repo/monitors/api.yaml': `kind: Monitor
name: api
tcp: {host: 127.0.0.1, port: 5432}
interval: 30s
conditions: ["[CONNECTED] == true"]
notify: [ops]
`,
  'repo/jobs.yaml': `kind: Job
name: backup
schedule: "15 2 * * *"
timezone: Europe/Berlin
shell: {command: "echo backup"}
notify: [ops]
`,
};

/** A temp project with its embedded store already created (copied from a template). */
export async function project(files: Record<string, string> = BASIC): Promise<string> {
  const dir = await makeDir(files);
  await seedEmbeddedStore(join(dir, '.ploy'));
  return dir;
}
