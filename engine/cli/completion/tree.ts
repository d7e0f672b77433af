import type { Command } from 'commander';

/** An option as a shell completes it. */
export interface CompletionOption {
  /** `-f`, `--follow`: every spelling. */
  flags: string[];
  description: string;
  /** Whether the next word is its value (`--format <format>`), not a command or argument. */
  takesValue: boolean;
  /** The values it accepts, when commander knows them (`.choices()`). */
  choices: string[];
}

/** One command of the program, with what may follow it on the command line. */
export interface CompletionNode {
  /** The words after `ploy` that name it: `''` for ploy itself, `'run job'`. */
  path: string;
  commands: { name: string; description: string }[];
  options: CompletionOption[];
  /** The values its first argument accepts (`ploy completion <shell>`); empty: anything (files). */
  argChoices: string[];
}

// Every word a script embeds unquoted (command names, flags, choices) must be a plain word.
const PLAIN = /^[\w][\w.-]*$|^--?[\w][\w-]*$/;

function plain(word: string, where: string): string {
  if (!PLAIN.test(word)) throw new Error(`completion: ${JSON.stringify(word)} in ${where || 'ploy'} is not a plain word`);
  return word;
}

/**
 * Every command of `program` (groups such as `ploy run` included), depth first, from commander's
 * own definitions: the visible commands and options `--help` shows, so a hidden command is not
 * offered and a new flag is offered as soon as it is defined.
 */
export function completionTree(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const walk = (cmd: Command, path: string) => {
    const help = cmd.createHelp();
    const commands = help.visibleCommands(cmd).map((c) => ({ name: plain(c.name(), path), description: c.description() }));
    const options = help.visibleOptions(cmd).map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => !!f).map((f) => plain(f, path)),
      description: o.description,
      takesValue: o.required,
      choices: (o.argChoices ?? []).map((c) => plain(c, path)),
    }));
    const argChoices = (cmd.registeredArguments[0]?.argChoices ?? []).map((c) => plain(c, path));
    nodes.push({ path, commands, options, argChoices });
    for (const c of help.visibleCommands(cmd)) {
      // commander's implicit `help [command]` is a leaf: it has no Command of its own to walk.
      const sub = cmd.commands.find((x) => x === c);
      if (sub) walk(sub, path ? `${path} ${c.name()}` : c.name());
    }
  };
  walk(program, '');
  return nodes;
}

/** `'it'\''s'`: a string as one single-quoted shell word (bash, zsh and fish alike). */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A description on one line, short enough for a completion menu. */
export function brief(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
