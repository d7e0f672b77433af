import { type CompletionNode, quote } from './tree.js';

const words = (list: string[]) => quote(list.join(' '));

/**
 * The bash completion script: the command tree as data (one `case` branch per command), and a
 * function that walks the words typed so far to find the command being completed. Static, so a
 * TAB costs no Node start. Nothing is offered where a file or free text goes (an option's value
 * without choices, an argument): bash's own file completion takes over (`complete -o default`).
 */
export function bashScript(nodes: CompletionNode[]): string {
  const specs = nodes.map((n) => {
    const opts = n.options.flatMap((o) => o.flags);
    const valued = n.options.filter((o) => o.takesValue).flatMap((o) => o.flags);
    const subs = n.commands.map((c) => c.name);
    return `    ${quote(n.path)}) subs=${words(subs)} opts=${words(opts)} valued=${words(valued)} args=${words(n.argChoices)} ;;`;
  });
  const choices = nodes.flatMap((n) =>
    n.options
      .filter((o) => o.choices.length)
      .map((o) => `    ${o.flags.map((f) => quote(`${n.path}|${f}`)).join(' | ')}) values=${words(o.choices)} ;;`),
  );
  return `# bash completion for ploy, generated from its command definitions by \`ploy completion bash\`.
# Install: see \`ploy completion --help\`.

_ploy_spec() {
  subs='' opts='' valued='' args=''
  case $1 in
${specs.join('\n')}
  esac
}

_ploy() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local cmd='' subs opts valued args values='' w i skip=0 npos=0
  _ploy_spec ''
  # The command being completed: each word that names a subcommand of the one before it.
  # An option's value is skipped, so \`--out plan\` is not taken for \`ploy plan\`; npos counts
  # the arguments typed after the command (only the first has choices).
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if ((skip)); then
      skip=0
    elif [[ $w == -* ]]; then
      [[ " $valued " == *" $w "* ]] && skip=1
    elif [[ " $subs " == *" $w "* ]]; then
      cmd=\${cmd:+$cmd }$w npos=0
      _ploy_spec "$cmd"
    else
      ((++npos))
    fi
  done
  COMPREPLY=()
  if ((skip)); then
    case "$cmd|$prev" in
${choices.join('\n')}
    esac
    [[ -n $values ]] && COMPREPLY=($(compgen -W "$values" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ -n $args ]] && ((npos == 0)); then
    COMPREPLY=($(compgen -W "$args" -- "$cur"))
  fi
}

complete -o default -F _ploy ploy
`;
}
