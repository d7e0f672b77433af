import { Argument, Command, CommanderError, Option } from 'commander';
import { ERROR_EXIT, withMeta } from './command-meta.js';
import { INSTALL_HELP, SHELLS } from './completion/install-help.js';
import type { CliDeps } from './deps.js';
import { CliError, printDiagnostics } from './output.js';
import { configFrom } from './prepare.js';
import { StoreInUseError } from '../ports/store.js';
import { VERSION } from './version.js';

/** The installed package's version (`ploy --version`, /healthz, `ploy doctor`). */
export { VERSION };

// Each command's module loads only when that command runs: `ploy plan` does not pay for
// nodemailer, the API server or the executors, which only apply, serve and run-job use.

/**
 * Every command, flag and argument, with its exit codes and output (command-meta.ts): what
 * `ploy --help` shows and docs/reference/cli.md is generated from. `done` receives the exit
 * code of the command that ran.
 */
export function cliProgram(deps: CliDeps, done: (code: number) => void): Command {
  const program = new Command('ploy')
    .description('Declarative GitOps for Docker hosts: apps, monitors, jobs and notifications as code.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showHelpAfterError('(run ploy --help for usage)');

  addSourceCommands(program, deps, done);
  addJobCommands(program, deps, done);
  addAppCommands(program, deps, done);
  addSetupCommands(program, deps, done);
  addEngineCommands(program, deps, done);
  return program;
}

/** A command's action hands its exit code here. */
type Done = (code: number) => void;

/** The flags of every command that reads the source. */
const common = (cmd: Command) =>
  cmd
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .option('--source <dir>', 'read resources from this directory instead of the configured source');

/** `validate`, `plan` and `apply`: the source checked, compared with what runs, applied. */
function addSourceCommands(program: Command, deps: CliDeps, done: Done): void {
  withMeta(common(program.command('validate').description('check the source; exit 0 valid, 1 invalid')), {
    exits: { 0: 'valid (warnings allowed)', 1: `invalid, or ${ERROR_EXIT}` },
    output:
      'text: diagnostics as `file:line:column: severity: message`, then `Valid: N resources (...)` on stdout, or `Invalid: N errors.` on stderr. json: `{"valid": bool, "diagnostics": [{severity, code, message, file, line, column}]}` on stdout.',
  })
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o) => {
      done(await (await import('./commands/validate.js')).validateCommand(deps, o));
    });

  withMeta(common(program.command('plan').description('show what apply would change')), {
    exits: {
      0: 'the plan was computed (with --detailed-exitcode: and it has no changes)',
      1: `the source is invalid, or ${ERROR_EXIT}`,
      2: 'with --detailed-exitcode only: the plan has changes',
    },
    output:
      'text: the plan for a terminal, diagnostics on stderr when the source is invalid. markdown: the plan for a pull-request comment. json: the versioned plan document (`formatVersion: 1`) on stdout, also when the source is invalid (then with diagnostics and no changes).',
  })
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--detailed-exitcode', 'exit 0 for no changes, 2 for changes, 1 for errors')
    .option('--base <ref>', 'compare with the source at this git ref instead of the applied state')
    .option('--head <ref>', 'with --base: read the source at this git ref instead of the working tree')
    .option('--out <file>', 'save the plan for ploy apply FILE')
    .action(async (o) => {
      done(await (await import('./commands/plan.js')).planCommand(deps, o));
    });

  withMeta(common(program.command('apply').description('apply the source (or a saved plan)')), {
    exits: {
      0: 'every change succeeded (or there was nothing to change)',
      1: `a change failed (a rolled-back update is a failure), the apply was cancelled or refused, the source is invalid, or ${ERROR_EXIT}`,
    },
    output:
      'The plan as text, then one line per change (`✓ App web: create succeeded — ...`), a summary line `Apply succeeded|failed: N succeeded, N failed, N pending.`, and how notifications were delivered.',
  })
    .argument('[planfile]', 'a plan saved with ploy plan --out')
    .option('--auto-approve', 'apply without asking')
    .action(async (planFile, o) => {
      done(await (await import('./commands/apply.js')).applyCommand(deps, { ...o, planFile }));
    });
}

/** `run job` and `jobs`: applied jobs, run now or listed. */
function addJobCommands(program: Command, deps: CliDeps, done: Done): void {
  const run = program.command('run').description('run something now');
  withMeta(common(run.command('job').description('run an applied job now, through its policies, and print its output')), {
    exits: { 0: 'the run succeeded', 1: `the run failed, or ${ERROR_EXIT}` },
    output:
      "The run's output on stdout, then `Job NAME succeeded in N ms, exit code 0` (stdout) or `Job NAME failed ...: reason` (stderr).",
  })
    .argument('<name>', 'the job')
    .action(async (name, o) => {
      done(await (await import('./commands/run-job.js')).runJobCommand(deps, name, o));
    });

  withMeta(common(program.command('jobs').description("list applied jobs: next runs in each job's timezone, last result")), {
    exits: { 0: 'listed', 1: ERROR_EXIT },
    output:
      'text: per job its schedule and timezone, `next:` three runs in local time, `last:` the last result. json: `{"jobs": [{name, schedule, timezone, suspended, nextRuns, last?: {status, scheduledAt, trigger, exitCode, reason}}]}`.',
  })
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o) => {
      done(await (await import('./commands/jobs.js')).jobsCommand(deps, o));
    });
}

/** `logs`, `exec` and `rollback`: an app's containers, read, entered or returned to an earlier deployment. */
function addAppCommands(program: Command, deps: CliDeps, done: Done): void {
  withMeta(program.command('logs').description("print an app's container output (every replica)"), {
    exits: { 0: 'printed (with --follow: the containers stopped)', 1: `the app has no containers, or ${ERROR_EXIT}` },
    output:
      "The containers' stdout on stdout and stderr on stderr, each line prefixed with `container | ` when there are several replicas.",
  })
    .argument('<app>', 'the app, by name')
    .option('-f, --follow', 'keep printing as the containers write')
    .option('--tail <n>', 'only the last N lines of each container')
    .option('--since <when>', 'only lines since a duration ago (10m) or a time (2026-01-02T10:00:00Z)')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, o) => {
      done(await (await import('./commands/logs.js')).logsCommand(deps, app, o));
    });

  withMeta(program.command('exec').description('run a command in a running container of an app: ploy exec APP -- CMD...'), {
    exits: {
      0: 'the command exited 0',
      1: `the command exited 1, there is no running container, or ${ERROR_EXIT}`,
      other: "the command's own exit code",
    },
    output: "The command's stdout and stderr, as it wrote them (no TTY, no stdin).",
  })
    .argument('<app>', 'the app, by name')
    .argument('<cmd...>', 'the command and its arguments, after --')
    .option('--replica <n>', 'which replica (default: the first running one)')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, cmd, o) => {
      done(await (await import('./commands/exec.js')).execCommand(deps, app, cmd, o));
    });

  withMeta(program.command('rollback').description('return an app to its previous successful deployment (then revert in git)'), {
    exits: { 0: 'rolled back', 1: `the rollback failed or was cancelled, there is nothing to return to, or ${ERROR_EXIT}` },
    output: 'The plan of the rollback as text, then `✓ rolled back ...` or `✗ rollback of APP failed — reason`.',
  })
    .argument('<app>', 'the app, by name')
    .option('--auto-approve', 'roll back without asking')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, o) => {
      done(await (await import('./commands/rollback.js')).rollbackCommand(deps, app, o));
    });
}

/** `init`, `notify test`, `monitors push-urls` and `doctor`: setting up and checking. */
function addSetupCommands(program: Command, deps: CliDeps, done: Done): void {
  withMeta(program.command('init').description('scaffold a config repository with one example of each kind'), {
    exits: { 0: 'created', 1: 'a file it would write exists already (nothing is overwritten)' },
    output: '`created PATH` per file, then the next commands to run.',
  })
    .argument('[dir]', 'where to create it', '.')
    .action(async (dir) => {
      done(await (await import('./commands/init.js')).initCommand(deps, dir));
    });

  const notify = program.command('notify').description('notification channels');
  withMeta(common(notify.command('test').description('send a test message through a channel; exit 0 when delivered')), {
    exits: { 0: 'delivered', 1: `not delivered (the reason on stderr), no such channel, or ${ERROR_EXIT}` },
    output: '`✓ Test message delivered to NAME (provider)` on stdout, or the delivery error on stderr.',
  })
    .argument('<name>', 'the Notification to test')
    .action(async (name, o) => {
      done(await (await import('./commands/notify.js')).notifyTestCommand(deps, name, o));
    });

  const monitors = program.command('monitors').description('monitors');
  withMeta(common(monitors.command('push-urls').description('print the URL (with its secret token) of every push monitor')), {
    exits: { 0: 'printed (also when there are no push monitors)', 1: ERROR_EXIT },
    output: 'One line per push monitor: `NAME  BASE/push/NAME?token=TOKEN`. The tokens are secrets.',
  })
    .option('--base-url <url>', 'where callers reach the engine (default: api.listen)')
    .action(async (o) => {
      done(await (await import('./commands/push-urls.js')).pushUrlsCommand(deps, o));
    });

  withMeta(
    program.command('doctor').description('check the machine: Docker, the store, the proxy, the git source, secrets, the clock'),
    {
      exits: { 0: 'no check failed (warnings allowed)', 1: 'a check failed' },
      output:
        'One line per check, `ok`, `warn` or `fail`, the check and what it found; under each problem, `fix:` and how to fix it.',
    },
  )
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (o) => {
      done(await (await import('./commands/doctor.js')).doctorCommand(deps, o));
    });
}

/** `serve`, the engine itself, and `completion`. */
function addEngineCommands(program: Command, deps: CliDeps, done: Done): void {
  withMeta(program.command('serve').description('run the engine: follow the source, reconcile, serve the API'), {
    exits: { 0: 'stopped cleanly on SIGINT or SIGTERM', 1: `the config is invalid, or ${ERROR_EXIT}` },
    output: 'Logs as JSON lines on stdout (readable lines on a terminal), at `log.level`.',
  })
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (o) => {
      const { config, diagnostics } = configFrom(deps, o);
      printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
      if (!config) return void done(1);
      if (!deps.serve) throw new CliError('ploy serve is not available in this build.');
      done(await deps.serve(config));
    });

  withMeta(program.command('completion').description('print the shell completion script for bash, zsh or fish'), {
    exits: { 0: 'printed', 1: 'an unknown shell' },
    output: 'The script on stdout, to save where the shell loads completions (see Install in `ploy completion --help`).',
  })
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', INSTALL_HELP)
    .action(async (shell) => {
      done((await import('./commands/completion.js')).completionCommand(deps, program, shell));
    });
}

/**
 * The `ploy` command line. Thin: parses flags, calls a command, returns its exit code. Errors
 * are one line on stderr with exit 1, never a stack trace.
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let code = 0;
  const program = cliProgram(deps, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return reportError(e, deps);
  }
}

/** A command's error as one line on stderr (a stack trace only with PLOY_DEBUG), and its exit code. */
function reportError(e: unknown, deps: CliDeps): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
  if (e instanceof StoreInUseError) {
    deps.stderr.write(
      `Error: ${e.message} (a running ploy serve?). Stop it first, or use a PostgreSQL store, which several processes can share.\n`,
    );
    return 1;
  }
  if (e instanceof CliError) {
    deps.stderr.write(`Error: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as Error & { cause?: unknown };
  deps.stderr.write(`Error: ${err.message}\n`);
  if (deps.env.PLOY_DEBUG) deps.stderr.write(`${err.stack}\n`);
  return 1;
}
