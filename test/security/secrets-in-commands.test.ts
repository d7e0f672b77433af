import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { makeDir, ploy, seedEmbeddedStore } from '../support/cli.js';
import { dockerAvailable, ensureTestImage, requireDocker, testDocker } from '../support/docker.js';

/**
 * Rule: secrets reach processes through their environment, never through command text. A secret
 * with quotes, `$()`, a backquote and a newline goes through a shell job, an exec job (string
 * and `sh -c` list), a container job and an App's command via the real CLI (`ploy apply`,
 * `ploy run job`) and real Docker; each writes it to a file, which must hold it exactly, while
 * the test reads /proc/PID/cmdline of every process on the host (containers' included) and must
 * never find it there.
 */
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';
const CANARY = `canary-${RUN}`;
const SECRET = `it's "${CANARY}" $(touch /tmp/pwned-${RUN}) \`id\` $HOME *\nsecond line\\`;
const REF = 'PLOY_SECRET_REF_TOKEN';
const APP = `vault-${RUN}`;
const NET = `ploytest-${RUN}`;

/** The command lines of every process now, by pid (those that end while being read are skipped). */
function commandLines(): Map<number, string> {
  const lines = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      lines.set(Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      // gone
    }
  }
  return lines;
}

/** Reads every process's command line every 20 ms until `work` ends. */
async function scanWhile<T>(work: Promise<T>): Promise<{ result: T; leaked: string[]; referencing: Set<number> }> {
  let done = false;
  const finished = work.finally(() => (done = true));
  const leaked: string[] = [];
  const referencing = new Set<number>();
  while (!done) {
    for (const [pid, line] of commandLines()) {
      if (line.includes(CANARY)) leaked.push(line.replace(/\0/g, ' '));
      if (line.includes(REF)) referencing.add(pid);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { result: await finished, leaked, referencing };
}

let dir = '';
let out = '';
const run = (...args: string[]) => ploy(args, { cwd: dir, docker: true });
const written = (name: string) => fs.readFileSync(join(out, name), 'utf8');

beforeAll(async () => {
  if (!(await dockerAvailable())) return;
  await ensureTestImage(IMAGE);
  dir = await makeDir({
    'ploy.config.yaml': 'source: {path: ./repo}\nstore: {url: embedded}\nsecrets: {dir: ./secrets}\n',
    'secrets/TOKEN': `${SECRET}\n`,
  });
  out = join(dir, 'out');
  fs.mkdirSync(out);
  fs.mkdirSync(join(dir, 'repo'));
  fs.writeFileSync(join(dir, 'repo', 'all.yaml'), resources(out));
  await seedEmbeddedStore(join(dir, '.ploy'));
  const applied = await run('apply', '--auto-approve');
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (!(await dockerAvailable())) return;
  const docker = testDocker();
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${PLOY_LABELS.app}=${APP}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
  await docker
    .getNetwork(NET)
    .remove()
    .catch(() => undefined);
});

beforeEach(async (ctx) => {
  await requireDocker(ctx);
});

describe('a secret in a command', () => {
  it('passes through a shell job intact in every quoting, and shows in no process command line', async () => {
    const { result, leaked, referencing } = await scanWhile(run('run', 'job', `shell-${RUN}`));
    expect(result.code).toBe(0);
    expect(leaked).toEqual([]);
    // The job's shell was seen while it ran: its command line holds the reference instead.
    expect(referencing.size).toBeGreaterThan(0);
    expect(written('unquoted')).toBe(SECRET);
    expect(written('double')).toBe(SECRET);
    expect(written('single')).toBe(`Bearer ${SECRET}`);
    expect(written('heredoc')).toBe(`${SECRET}\n`);
    expect(written('compared')).toBe('equal\n');
    expect(fs.existsSync(`/tmp/pwned-${RUN}`)).toBe(false);
  }, 30_000);

  it('passes through an exec job in a running app container, as a string and as an sh -c list', async () => {
    for (const job of [`exec-${RUN}`, `exec-list-${RUN}`]) {
      const { result, leaked, referencing } = await scanWhile(run('run', 'job', job));
      expect(result.code).toBe(0);
      expect(leaked).toEqual([]);
      expect(referencing.size).toBeGreaterThan(0);
    }
    expect(written('exec')).toBe(SECRET);
    expect(written('exec-list')).toBe(SECRET);
  }, 60_000);

  it('passes through a container job, whose Docker command holds only the reference', async () => {
    const docker = testDocker();
    let cmd: string[] | undefined;
    const { result, leaked, referencing } = await scanWhile(
      (async () => {
        const running = run('run', 'job', `container-${RUN}`);
        // Docker's record of the job's container, while it exists.
        for (let i = 0; i < 100 && !cmd; i++) {
          const [c] = await docker.listContainers({ filters: { label: [`ploy.job=container-${RUN}`] } });
          if (c) cmd = (await docker.getContainer(c.Id).inspect()).Config.Cmd;
          else await new Promise((r) => setTimeout(r, 50));
        }
        return running;
      })(),
    );
    expect(result.code).toBe(0);
    expect(leaked).toEqual([]);
    expect(referencing.size).toBeGreaterThan(0);
    expect(cmd?.join(' ')).toContain(REF);
    expect(cmd?.join(' ')).not.toContain(CANARY);
    expect(written('container')).toBe(SECRET);
  }, 60_000);

  it("reaches an app's process through its env, with a reference in its command line", async () => {
    const docker = testDocker();
    const [c] = await docker.listContainers({ filters: { label: [`${PLOY_LABELS.app}=${APP}`] } });
    const info = await docker.getContainer(c.Id).inspect();
    expect(info.Config.Cmd?.join(' ')).toContain(REF);
    expect(info.Config.Cmd?.join(' ')).not.toContain(CANARY);
    expect(info.Config.Env).toContain(`${REF}=${SECRET}`);
    const pid1 = fs.readFileSync(`/proc/${info.State.Pid}/cmdline`, 'utf8');
    expect(pid1).toContain(REF);
    expect(pid1).not.toContain(CANARY);
    expect(written('app')).toBe(SECRET);
  }, 30_000);
});

/** The App and the jobs: each writes the secret to a file under `out` (mounted at /out in containers). */
function resources(outDir: string): string {
  return `kind: App
name: ${APP}
image: ${IMAGE}
networks: [${NET}]
volumes: ["${outDir}:/out"]
update: {monitor: 1s}
command: |
  export PASSWORD='\${secret:TOKEN}'
  printf '%s' "$PASSWORD" > /out/app
  trap 'exit 0' TERM
  sleep 300 & wait
---
kind: Job
name: shell-${RUN}
schedule: "@daily"
shell:
  env: {OUT: "${outDir}", EXPECTED: "\${secret:TOKEN}"}
  command: |
    printf '%s' \${secret:TOKEN} > "$OUT/unquoted"
    printf '%s' "\${secret:TOKEN}" > "$OUT/double"
    printf '%s' 'Bearer \${secret:TOKEN}' > "$OUT/single"
    cat > "$OUT/heredoc" <<EOF
    \${secret:TOKEN}
    EOF
    if [ "\${secret:TOKEN}" = "$EXPECTED" ]; then echo equal; else echo differ; fi > "$OUT/compared"
    sleep 1
---
kind: Job
name: exec-${RUN}
schedule: "@daily"
exec:
  app: ${APP}
  command: |
    printf '%s' "\${secret:TOKEN}" > /out/exec
    sleep 1
---
kind: Job
name: exec-list-${RUN}
schedule: "@daily"
exec:
  app: ${APP}
  command: ["sh", "-c", "printf '%s' '\${secret:TOKEN}' > /out/exec-list; sleep 1"]
---
kind: Job
name: container-${RUN}
schedule: "@daily"
container:
  image: ${IMAGE}
  volumes: ["${outDir}:/out"]
  command: |
    printf '%s' \${secret:TOKEN} > /out/container
    sleep 1
`;
}
