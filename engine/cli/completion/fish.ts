import { brief, type CompletionNode } from './tree.js';

/** A fish single-quoted word: inside quotes fish reads `\\` and `\'` as escapes. */
const q = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;

/**
 * The fish completion script: one `complete` line per command and option, each under the
 * condition that the words typed so far name its command (`__ploy_at 'run job'`). Files are
 * offered only where a file or free text may go.
 */
export function fishScript(nodes: CompletionNode[]): string {
  const subs = nodes.flatMap((n) => n.commands.map((c) => q(`${n.path}|${c.name}`)));
  const valued = nodes.flatMap((n) =>
    n.options.filter((o) => o.takesValue).flatMap((o) => o.flags.map((f) => q(`${n.path}|${f}`))),
  );
  const lines = nodes.flatMap((n) => {
    const at = `-n ${q(`__ploy_at ${q(n.path)}`)}`;
    const out: string[] = [];
    // Where a command or a choice must come next, a file name would be wrong.
    if (n.commands.length || n.argChoices.length) out.push(`complete -c ploy ${at} -f`);
    for (const c of n.commands) out.push(`complete -c ploy ${at} -a ${q(c.name)} -d ${q(brief(c.description))}`);
    const first = `-n ${q(`__ploy_at_first_arg ${q(n.path)}`)}`;
    if (n.argChoices.length) out.push(`complete -c ploy ${first} -a ${q(n.argChoices.join(' '))}`);
    for (const o of n.options) {
      const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      const value = !o.takesValue ? '' : o.choices.length ? ` -x -a ${q(o.choices.join(' '))}` : ' -r -F';
      out.push(`complete -c ploy ${at} ${names}${value} -d ${q(brief(o.description))}`);
    }
    return out;
  });
  return `# fish completion for ploy, generated from its command definitions by \`ploy completion fish\`.
# Install: see \`ploy completion --help\`.

set -g __ploy_subs ${subs.join(' ')}
set -g __ploy_valued ${valued.join(' ')}

# The command being completed: each word that names a subcommand of the one before it.
# An option's value is skipped, so \`--out plan\` is not taken for \`ploy plan\`; __ploy_npos
# counts the arguments typed after the command.
function __ploy_command
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmd ''
    set -l skip 0
    set -g __ploy_npos 0
    for w in $words
        if test $skip = 1
            set skip 0
        else if string match -q -- '-*' $w
            contains -- "$cmd|$w" $__ploy_valued; and set skip 1
        else if contains -- "$cmd|$w" $__ploy_subs
            set cmd (string trim -- "$cmd $w")
            set __ploy_npos 0
        else
            set __ploy_npos (math $__ploy_npos + 1)
        end
    end
    echo $cmd
end

function __ploy_at
    set -l cmd (__ploy_command)
    test "$cmd" = "$argv[1]"
end

# At the command's first argument (the only one with choices).
function __ploy_at_first_arg
    __ploy_at "$argv[1]"; and test $__ploy_npos = 0
end

complete -c ploy -e
${lines.join('\n')}
`;
}
