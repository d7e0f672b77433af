/**
 * Deploys 20 apps from nothing on the local Docker Engine, then re-plans them with nothing
 * changed. Reports the first apply's wall time, and the no-op plan time two ways: what each
 * reconcile of `ploy serve` pays (read the source, observe Docker, plan; store already open;
 * target under 300 ms) and a whole `ploy plan` command in-process (adds opening the store).
 * Run: npm run bench:apps [apps]   (needs Docker; cleans up after itself)
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DockerRuntime } from '../../engine/adapters/docker/docker-runtime.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { loadConfig } from '../../engine/config/load-config.js';
import { runCli } from '../../engine/cli/run.js';
import { realDeps } from '../../engine/main.js';
import { planAgainstStore } from '../../engine/plan/against.js';
import { hasChanges } from '../../engine/plan/types.js';
import { PLOY_LABELS } from '../../engine/ports/container-runtime.js';
import { desiredFromConfig } from '../../engine/source/desired-from-config.js';
import { compileKindValidators } from '../../engine/validate/schemas.js';
import { makeDir } from '../support/cli.js';
import { ensureTestImage, testDocker } from '../support/docker.js';

const count = Number(process.argv[2] ?? 20);
const RUN = randomBytes(3).toString('hex');
const IMAGE = 'ploy-test/busybox:1';

const app = (i: number) => `kind: App
name: bench-${i}-${RUN}
image: ${IMAGE}
command: ["sh", "-c", "mkdir -p /www; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
networks: [bench-${RUN}]
healthcheck: {cmd: ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval: 1s, timeout: 2s, retries: 3}
`;

const quiet = { write: () => true };
const cli = (cwd: string, ...args: string[]) => runCli(args, { ...realDeps(), cwd, stdout: quiet, stderr: quiet });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  await ensureTestImage(IMAGE);
  const cwd = await makeDir({
    'ploy.config.yaml': 'source: {path: ./src}\nstore: {url: embedded}\n',
    'src/apps.yaml': Array.from({ length: count }, (_, i) => app(i)).join('---\n'),
  });
  try {
    await openStore('embedded', { embeddedDir: join(cwd, '.ploy') }).then((s) => s.close());
    const t0 = performance.now();
    const code = await cli(cwd, 'apply', '--auto-approve');
    const applyMs = performance.now() - t0;
    if (code !== 0) throw new Error(`apply exited ${code}`);

    const validators = compileKindValidators();
    const { config } = loadConfig({ cwd, env: {}, validator: validators.config });
    const store = await openStore('embedded', { embeddedDir: join(cwd, '.ploy') });
    const containers = new DockerRuntime();
    const reconcile: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      const desired = await desiredFromConfig(config!, { env: {}, validators, secrets: 'resolve' });
      const plan = await planAgainstStore(desired, store, { prune: true, containers });
      reconcile.push(performance.now() - t);
      if (hasChanges(plan) || plan.basis.unobserved) throw new Error('the no-op plan has changes or did not observe Docker');
    }
    await store.close();
    const command: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const exit = await cli(cwd, 'plan', '--detailed-exitcode');
      command.push(performance.now() - t);
      if (exit !== 0) throw new Error(`no-op plan exited ${exit}`);
    }
    console.log(`apps bench (${count} apps, busybox httpd with a Docker health check, embedded store)`);
    console.log(`  first apply (pull skipped, create, start, healthy):  ${(applyMs / 1000).toFixed(2)} s`);
    console.log(
      `  no-op plan per reconcile (source + Docker + plan):   median ${median(reconcile).toFixed(0)} ms (target < 300 ms)`,
    );
    console.log(`  no-op ploy plan command in-process (+ store open):   median ${median(command).toFixed(0)} ms`);
    console.log('  command: npm run bench:apps');
  } finally {
    const docker = testDocker();
    for (const c of await docker.listContainers({ all: true, filters: { label: [PLOY_LABELS.app] } }))
      if (c.Labels[PLOY_LABELS.app]?.endsWith(RUN)) await docker.getContainer(c.Id).remove({ force: true });
    for (const n of await docker.listNetworks())
      if (n.Name.includes(RUN))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
