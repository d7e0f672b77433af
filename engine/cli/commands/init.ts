import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CliDeps } from '../deps.js';
import { CliError } from '../output.js';

const SCHEMA = '# yaml-language-server: $schema=https://ploy.dev/schema/ploy.json\n';

/** The files `ploy init` writes: one working example of each kind, and the engine settings. */
export const SCAFFOLD: Record<string, string> = {
  'ploy.config.yaml': `# Engine settings. Every field: docs/reference/config.md in Ploy's documentation.
source: {path: .}
store: {url: embedded}          # or postgres://user:pass@host/db (or set DATABASE_URL)
sync: {auto: true, prune: true}
api: {listen: 127.0.0.1:4000}
secrets: {dir: ./secrets}
`,
  'apps/web.yaml': `${SCHEMA}kind: App
name: web
description: A static web server.
image: nginx:1.27-alpine
ports: ["8080:80"]
healthcheck:
  http: {path: /, port: 80}
`,
  'monitors/web.yaml': `${SCHEMA}kind: Monitor
name: web-up
http: {url: http://127.0.0.1:8080/}
interval: 30s
conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 1000"]
`,
  'jobs/hello.yaml': `${SCHEMA}kind: Job
name: hello
schedule: "@every 5m"
shell: {command: "echo hello from $PLOY_JOB at $PLOY_SCHEDULED_AT"}
`,
  'notifications/ops.yaml': `${SCHEMA}# Quiet until it has a receiver: set PLOY_VAR_OPS_WEBHOOK_URL, then make it the default
# channel (default: true) or name it in a resource's notify list.
kind: Notification
name: ops
webhook: {url: "\${env:PLOY_VAR_OPS_WEBHOOK_URL:-http://127.0.0.1:9999/hook}"}
default: false
`,
  'secrets/.gitignore': '*\n!.gitignore\n',
};

/** `ploy init [DIR]`: scaffolds a config repo; never overwrites a file that exists. */
export async function initCommand(deps: CliDeps, dir = '.'): Promise<number> {
  const root = resolve(deps.cwd, dir);
  const clashes = Object.keys(SCAFFOLD).filter((f) => existsSync(join(root, f)));
  if (clashes.length) throw new CliError(`Not overwriting existing files: ${clashes.join(', ')}.`);
  for (const [file, text] of Object.entries(SCAFFOLD)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
    deps.stdout.write(`created ${join(dir, file)}\n`);
  }
  // The rest is meant to be committed and read; secrets put here are for the engine's user only.
  await chmod(join(root, 'secrets'), 0o700);
  deps.stdout.write(`\nNext: cd ${dir} && ploy validate && ploy plan\n`);
  return 0;
}
