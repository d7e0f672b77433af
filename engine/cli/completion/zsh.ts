import { brief, type CompletionNode, quote } from './tree.js';

/** `name:description` for `_describe` (a colon in the name would end it; names are plain words). */
const described = (name: string, description: string) => quote(`${name}:${brief(description)}`);

/**
 * The zsh completion script: like bash's, a `case` of the command tree and a walk over the
 * words typed, with each command and option described in the menu. Works both from a folder in
 * `$fpath` (as `_ploy`, loaded by compinit through `#compdef`) and with `source`.
 */
export function zshScript(nodes: CompletionNode[]): string {
  const specs = nodes.map((n) => {
    const subs = n.commands.map((c) => described(c.name, c.description));
    const opts = n.options.flatMap((o) => o.flags.map((f) => described(f, o.description)));
    const names = n.commands.map((c) => c.name);
    const valued = n.options.filter((o) => o.takesValue).flatMap((o) => o.flags);
    return [
      `    ${quote(n.path)})`,
      `      subs=(${subs.join(' ')})`,
      `      names=(${names.join(' ')}) opts=(${opts.join(' ')})`,
      `      valued=(${valued.join(' ')}) args=(${n.argChoices.join(' ')}) ;;`,
    ].join('\n');
  });
  const choices = nodes.flatMap((n) =>
    n.options
      .filter((o) => o.choices.length)
      .map((o) => `      ${o.flags.map((f) => quote(`${n.path}|${f}`)).join(' | ')}) compadd -- ${o.choices.join(' ')} ;;`),
  );
  return `#compdef ploy
# zsh completion for ploy, generated from its command definitions by \`ploy completion zsh\`.
# Install: see \`ploy completion --help\`.

_ploy_spec() {
  subs=() names=() opts=() valued=() args=()
  case $1 in
${specs.join('\n')}
  esac
}

_ploy() {
  local cmd='' w i skip=0 npos=0
  local -a subs names opts valued args
  _ploy_spec ''
  # The command being completed: each word that names a subcommand of the one before it.
  # An option's value is skipped, so \`--out plan\` is not taken for \`ploy plan\`; npos counts
  # the arguments typed after the command (only the first has choices).
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    if ((skip)); then
      skip=0
    elif [[ $w == -* ]]; then
      ((\${valued[(Ie)$w]})) && skip=1
    elif ((\${names[(Ie)$w]})); then
      cmd=\${cmd:+$cmd }$w npos=0
      _ploy_spec "$cmd"
    else
      ((++npos))
    fi
  done
  if ((skip)); then
    case "$cmd|\${words[CURRENT-1]}" in
${choices.join('\n')}
      *) _files ;;
    esac
  elif [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options option opts
  elif ((\${#subs})); then
    _describe -t commands command subs
  elif ((\${#args} && npos == 0)); then
    compadd -- $args
  else
    _files
  fi
}

compdef _ploy ploy
# Loaded from $fpath, this file is _ploy's body: define the functions above, then complete.
if [[ \${funcstack[1]} == _ploy ]]; then
  _ploy "$@"
fi
`;
}
