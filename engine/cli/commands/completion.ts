import type { Command } from 'commander';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionTree } from '../completion/tree.js';
import { zshScript } from '../completion/zsh.js';
import type { CliDeps } from '../deps.js';
import type { Shell } from '../completion/install-help.js';

/** `ploy completion SHELL`: prints the completion script of `program` for that shell. */
export function completionCommand(deps: CliDeps, program: Command, shell: Shell): number {
  const nodes = completionTree(program);
  const script = { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](nodes);
  deps.stdout.write(script);
  return 0;
}
