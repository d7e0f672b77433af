import pc from 'picocolors';
import type { CliDeps } from '../deps.js';
import { bounded, type Check, type CheckLine, fail, ok } from '../doctor/check.js';
import { clockLine } from '../doctor/clock-check.js';
import { dockerCheck } from '../doctor/docker-check.js';
import { proxyCheck } from '../doctor/proxy-check.js';
import { secretsCheck } from '../doctor/secrets-check.js';
import { sourceCheck } from '../doctor/source-check.js';
import { storeCheck } from '../doctor/store-check.js';
import { printDiagnostics } from '../output.js';
import { configFrom } from '../prepare.js';

export interface DoctorFlags {
  config?: string;
}

/** How long one check may take: a machine that answers at all answers well within this. */
export const CHECK_TIMEOUT_MS = 5_000;

/** The checks, in the order they are printed, with what to do when one does not answer in time. */
const CHECKS: Array<[string, Check, string]> = [
  ['docker', dockerCheck, 'Check that dockerd runs and that docker.host (or DOCKER_HOST) names it.'],
  ['store', storeCheck, 'Check that the database runs and answers on the host and port of store.url.'],
  ['proxy', proxyCheck, 'Check that Caddy runs and that proxy.caddy.admin names its admin API.'],
  ['source', sourceCheck, 'Check the network path to the git server and source.git.url.'],
  ['secrets', secretsCheck, 'Check the file system that holds secrets.dir.'],
];

/**
 * `ploy doctor`: checks what Ploy needs from this machine, all at once, each within
 * CHECK_TIMEOUT_MS; prints one line per check and how to fix each problem. Exit 1 when a
 * check failed; warnings alone exit 0.
 */
export async function doctorCommand(deps: CliDeps, flags: DoctorFlags): Promise<number> {
  const { config, diagnostics } = configFrom(deps, flags);
  const color = !!deps.stdout.isTTY;
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    print(deps, [fail('config', 'ploy.config.yaml has errors (above)', 'Correct them: ploy validate shows the same.')], color);
    return 1;
  }
  printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
  const outcomes = await Promise.all(
    CHECKS.map(([name, check, fix]) => bounded(name, check, { deps, config }, CHECK_TIMEOUT_MS, fix)),
  );
  const lines: CheckLine[] = [
    ok('config', config.file ?? `no ploy.config.yaml: defaults (source ${deps.cwd}, embedded store)`),
    ...outcomes.flatMap((o) => o.lines),
    clockLine(outcomes.flatMap((o) => o.clocks ?? [])),
  ];
  print(deps, lines, color);
  const count = (s: CheckLine['status']) => lines.filter((l) => l.status === s).length;
  const [failed, warned] = [count('fail'), count('warn')];
  deps.stdout.write(
    `\n${failed ? `${failed} failed` : 'Nothing failed'}${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}.\n`,
  );
  return failed ? 1 : 0;
}

const WIDTH = Math.max(...['config', 'docker', 'store', 'proxy', 'source', 'secrets', 'clock'].map((s) => s.length));

/** `ok    docker   Docker 27.1 ...`, and under a problem `fix: ...`, aligned under the message. */
function print(deps: CliDeps, lines: CheckLine[], color: boolean): void {
  const c = color ? pc : pc.createColors(false);
  const paint = { ok: c.green, warn: c.yellow, fail: c.red };
  const indent = ' '.repeat(6 + WIDTH + 2);
  for (const l of lines) {
    deps.stdout.write(`${paint[l.status](l.status.padEnd(6))}${l.check.padEnd(WIDTH + 2)}${l.message}\n`);
    if (l.fix) deps.stdout.write(`${indent}${c.dim('fix:')} ${l.fix}\n`);
  }
}
