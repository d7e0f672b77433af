import { Command, CommanderError, Option } from 'commander';
import type { CliDeps } from './deps.js';
import { CliError, printDiagnostics } from './output.js';
import { configFrom } from './prepare.js';
import { StoreInUseError } from '../ports/store.js';

export const VERSION = '0.1.0';

// Each command's module loads only when that command runs: `ploy plan` does not pay for
// nodemailer, the API server or the executors, which only apply, serve and run-job use.

/**
 * The `ploy` command line. Thin: parses flags, calls a command, returns its exit code. Errors
 * are one line on stderr with exit 1, never a stack trace.
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let code = 0;
  const program = new Command('ploy')
    .description('Declarative GitOps for Docker hosts: apps, monitors, jobs and notifications as code.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showHelpAfterError('(run ploy --help for usage)');

  const common = (cmd: Command) =>
    cmd
      .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
      .option('--source <dir>', 'read resources from this directory instead of the configured source');

  common(program.command('validate').description('check the source; exit 0 valid, 1 invalid'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o) => {
      code = await (await import('./commands/validate.js')).validateCommand(deps, o);
    });

  common(program.command('plan').description('show what apply would change'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--detailed-exitcode', 'exit 0 for no changes, 2 for changes, 1 for errors')
    .option('--base <ref>', 'compare with the source at this git ref instead of the applied state')
    .option('--head <ref>', 'with --base: read the source at this git ref instead of the working tree')
    .option('--out <file>', 'save the plan for ploy apply FILE')
    .action(async (o) => {
      code = await (await import('./commands/plan.js')).planCommand(deps, o);
    });

  common(program.command('apply').description('apply the source (or a saved plan)'))
    .argument('[planfile]', 'a plan saved with ploy plan --out')
    .option('--auto-approve', 'apply without asking')
    .action(async (planFile, o) => {
      code = await (await import('./commands/apply.js')).applyCommand(deps, { ...o, planFile });
    });

  const run = program.command('run').description('run something now');
  common(run.command('job').description('run an applied job now, through its policies, and print its output'))
    .argument('<name>', 'the job')
    .action(async (name, o) => {
      code = await (await import('./commands/run-job.js')).runJobCommand(deps, name, o);
    });

  common(program.command('jobs').description("list applied jobs: next runs in each job's timezone, last result"))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o) => {
      code = await (await import('./commands/jobs.js')).jobsCommand(deps, o);
    });

  program
    .command('logs')
    .description("print an app's container output (every replica)")
    .argument('<app>', 'the app, by name')
    .option('-f, --follow', 'keep printing as the containers write')
    .option('--tail <n>', 'only the last N lines of each container')
    .option('--since <when>', 'only lines since a duration ago (10m) or a time (2026-01-02T10:00:00Z)')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, o) => {
      code = await (await import('./commands/logs.js')).logsCommand(deps, app, o);
    });

  program
    .command('exec')
    .description('run a command in a running container of an app: ploy exec APP -- CMD...')
    .argument('<app>', 'the app, by name')
    .argument('<cmd...>', 'the command and its arguments, after --')
    .option('--replica <n>', 'which replica (default: the first running one)')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, cmd, o) => {
      code = await (await import('./commands/exec.js')).execCommand(deps, app, cmd, o);
    });

  program
    .command('rollback')
    .description('return an app to its previous successful deployment (then revert in git)')
    .argument('<app>', 'the app, by name')
    .option('--auto-approve', 'roll back without asking')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (app, o) => {
      code = await (await import('./commands/rollback.js')).rollbackCommand(deps, app, o);
    });

  program
    .command('init')
    .description('scaffold a config repository with one example of each kind')
    .argument('[dir]', 'where to create it', '.')
    .action(async (dir) => {
      code = await (await import('./commands/init.js')).initCommand(deps, dir);
    });

  const notify = program.command('notify').description('notification channels');
  common(notify.command('test').description('send a test message through a channel; exit 0 when delivered'))
    .argument('<name>', 'the Notification to test')
    .action(async (name, o) => {
      code = await (await import('./commands/notify.js')).notifyTestCommand(deps, name, o);
    });

  const monitors = program.command('monitors').description('monitors');
  common(monitors.command('push-urls').description('print the URL (with its secret token) of every push monitor'))
    .option('--base-url <url>', 'where callers reach the engine (default: api.listen)')
    .action(async (o) => {
      code = await (await import('./commands/push-urls.js')).pushUrlsCommand(deps, o);
    });

  program
    .command('serve')
    .description('run the engine: follow the source, reconcile, serve the API')
    .option('--config <file>', 'engine settings (default ./ploy.config.yaml)')
    .action(async (o) => {
      const { config, diagnostics } = configFrom(deps, o);
      printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
      if (!config) return void (code = 1);
      if (!deps.serve) throw new CliError('ploy serve is not available in this build.');
      code = await deps.serve(config);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
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
}
