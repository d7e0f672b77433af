import type { Command, Option } from 'commander';
import { metaOf } from '../cli/command-meta.js';
import { cliProgram } from '../cli/run.js';
import type { CliDeps } from '../cli/deps.js';
import { anchorOf, code, GENERATED, page, table } from './markdown.js';

/** The program as `ploy` builds it; nothing runs, so the dependencies are never called. */
export function ployProgram(): Command {
  const quiet = { write: () => true };
  return cliProgram({ stdout: quiet, stderr: quiet, env: {}, cwd: '.' } as unknown as CliDeps, () => undefined);
}

/** `ploy notify test`: the names of the command and its parents. */
export function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command that runs something (groups such as `ploy run` are left out), in definition order. */
export function leafCommands(program: Command): Command[] {
  return program.commands.flatMap((c) => (c.commands.length ? leafCommands(c) : [c]));
}

/** The options a command documents: its own, without commander's --help. */
export const optionsOf = (cmd: Command): Option[] => cmd.options.filter((o) => o.long !== '--help');

function optionRow(o: Option): string[] {
  const notes: string[] = [];
  if (o.argChoices) notes.push(`one of ${o.argChoices.map((c) => code(c)).join(', ')}`);
  if (o.defaultValue !== undefined) notes.push(`default ${code(String(o.defaultValue))}`);
  return [code(o.flags), `${o.description}${notes.length ? ` (${notes.join('; ')})` : ''}`];
}

function commandSection(cmd: Command): string {
  const meta = metaOf(cmd);
  if (!meta) throw new Error(`${fullName(cmd)} has no exit codes in engine/cli/run.ts (withMeta)`);
  const args = cmd.registeredArguments.map((a) => {
    const name = `${a.name()}${a.variadic ? '...' : ''}`;
    const shown = a.required ? `<${name}>` : `[${name}]`;
    const notes: string[] = [];
    if (a.argChoices) notes.push(`one of ${a.argChoices.map((c) => code(c)).join(', ')}`);
    if (a.defaultValue !== undefined) notes.push(`default ${code(String(a.defaultValue))}`);
    return [code(shown), `${a.description}${notes.length ? ` (${notes.join('; ')})` : ''}`];
  });
  const exits = Object.entries(meta.exits).map(([c, when]) => [c === 'other' ? 'other' : code(c), String(when)]);
  return [
    `## ${code(fullName(cmd))}`,
    cmd.description(),
    `\`\`\`\n${fullName(cmd)} ${cmd.usage()}\n\`\`\``,
    args.length ? `Arguments:\n\n${table(['Argument', 'Description'], args)}` : '',
    optionsOf(cmd).length ? `Options:\n\n${table(['Option', 'Description'], optionsOf(cmd).map(optionRow))}` : '',
    `Exit codes:\n\n${table(['Code', 'When'], exits)}`,
    `Output: ${meta.output}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** docs/reference/cli.md: every command, argument, flag, exit code and output format. */
export function cliPage(): string {
  const program = ployProgram();
  const commands = leafCommands(program);
  return page([
    GENERATED,
    '# Command line',
    `${program.description()} Generated from the command definitions in [engine/cli/run.ts](../../engine/cli/run.ts).`,
    [
      'Every command takes `--help`; `ploy --version` prints the version.',
      '`--config` defaults to `./ploy.config.yaml` (without one, the source is the current directory and the store is embedded in `./.ploy/`); `--source` overrides the configured source.',
      'Errors are one line on stderr (`Error: ...`), never a stack trace (set `PLOY_DEBUG=1` to get one). Diagnostics print as `file:line:column: severity: message`, the file relative to the source root.',
    ].join(' '),
    table(
      ['Command', 'What it does'],
      commands.map((c) => [`[${code(fullName(c))}](#${anchorOf(fullName(c))})`, c.description()]),
    ),
    ...commands.map(commandSection),
  ]);
}
