import type { Command } from 'commander';

/**
 * What a command's definition alone does not say: its exit codes and what it prints. Kept as
 * data beside each command in run.ts; `--help` shows it, and docs/reference/cli.md is
 * generated from it.
 */
export interface CommandMeta {
  /** Exit code → when it is returned; `other` for codes passed through (ploy exec). */
  exits: Partial<Record<number | 'other', string>>;
  /** What goes to stdout and stderr, per output format. */
  output: string;
}

const metas = new WeakMap<Command, CommandMeta>();

/** Attaches the meta to a command (and its exit codes to `--help`); returns the command. */
export function withMeta(cmd: Command, meta: CommandMeta): Command {
  metas.set(cmd, meta);
  const lines = Object.entries(meta.exits).map(([code, when]) => `  ${code}  ${when}`);
  return cmd.addHelpText('after', `\nExit codes:\n${lines.join('\n')}\n`);
}

/** The meta of a command, if it has one (group commands such as `ploy run` have none). */
export const metaOf = (cmd: Command): CommandMeta | undefined => metas.get(cmd);

/** The exit codes every command shares: 1 for an error of the invocation or of the machine. */
export const ERROR_EXIT =
  'error: a bad flag, an unreadable config, a store or Docker that cannot be reached (one line on stderr)';
