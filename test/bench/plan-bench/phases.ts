/**
 * What `ploy plan` does, one phase after the other in a fresh process, each timed with the RSS
 * after it: module loading, validator compile, config, reading files, parsing YAML (as the CLI
 * does: simple-yaml.ts on this thread, worker threads for over 64 KB the full parser must read), load + validate, store open, reading the applied state,
 * computing the plan, rendering JSON. Unlike the CLI, nothing overlaps (the CLI opens the store
 * while it parses), so the sum can exceed a CLI run.
 * Run by plan-bench.ts: node phases.js CONFIG; prints one JSON line.
 */
const t0 = performance.now();
const phases: Array<{ phase: string; ms: number; rssMb: number }> = [];
let last = t0;
const mark = (phase: string) => {
  const now = performance.now();
  phases.push({ phase, ms: now - last, rssMb: process.memoryUsage().rss / 2 ** 20 });
  last = now;
};

const [
  { loadConfig },
  { compileKindValidators },
  { readDirectorySnapshot },
  { buildDesired },
  { parseSnapshot },
  { secretLookup },
  { envPolicy },
  { openStore },
  sens,
  { actualFromApplied },
  { computePlan },
  { hmacDigest },
  { planDocument },
] = await Promise.all([
  import('../../../engine/config/load-config.js'),
  import('../../../engine/validate/schemas.js'),
  import('../../../engine/load/snapshot.js'),
  import('../../../engine/kinds/desired.js'),
  import('../../../engine/load/parse-parallel.js'),
  import('../../../engine/load/secrets.js'),
  import('../../../engine/load/env-policy.js'),
  import('../../../engine/adapters/store/open-store.js'),
  import('../../../engine/model/sensitive.js'),
  import('../../../engine/plan/actual.js'),
  import('../../../engine/plan/compute.js'),
  import('../../../engine/kinds/digest.js'),
  import('../../../engine/plan/document.js'),
]);
mark('import modules');

const configFile = process.argv[2];
const validators = compileKindValidators();
mark('compile validators (ajv)');
const env = {};
const { config } = loadConfig({
  configPath: configFile,
  cwd: process.cwd(),
  env,
  validator: validators.config,
});
if (!config || !('path' in config.source)) throw new Error('bad config');
mark('load ploy.config.yaml');
const root = config.source.path;
const { snapshot } = await readDirectorySnapshot(root);
mark(`read files (${snapshot.files.length})`);
// As desiredFromConfig does: the common form is read by simple-yaml on this thread, a large rest in worker threads.
await parseSnapshot(snapshot.files);
mark('parse YAML (fast reader; worker threads only for a large rest)');
const desired = buildDesired(snapshot, {
  sourceRoot: root,
  dockerMode: config.docker.mode,
  proxyConfigured: false,
  validators,
  interpolation: { env, envPolicy: envPolicy(config.env), secret: secretLookup(config.secrets.dir, env), secrets: 'resolve' },
});
mark(`load + validate + checks (${desired.resources.length} resources)`);
const url = config.store.url;
const store = await openStore(sens.isSensitive(url) ? url.reveal() : url, {
  embeddedDir: config.store.embeddedDir,
});
mark('open store (+ migrations check)');
const [key, applied] = await Promise.all([store.secretKey(), store.listApplied()]);
mark(`read applied state (${applied.length} rows)`);
const actual = actualFromApplied(applied, ['App']);
const plan = computePlan({
  revision: desired.revision,
  desired: desired.resources,
  actual,
  digest: hmacDigest(key),
  prune: true,
  diagnostics: desired.diagnostics,
});
mark('compute plan (incl. actual-state hash)');
const text = `${JSON.stringify(planDocument(plan), null, 2)}\n`;
mark(`render JSON (${(text.length / 2 ** 20).toFixed(1)} MB)`);
await store.close();
mark('close store');
process.stdout.write(`${JSON.stringify({ totalMs: performance.now() - t0, phases })}\n`);
