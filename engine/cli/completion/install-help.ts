// What run.ts needs to define `ploy completion`, apart from the generators, which load only
// when the command runs.

/** The shells `ploy completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** `ploy completion --help`: where each shell looks for the script. */
export const INSTALL_HELP = `
Install (then open a new shell):
  bash  mkdir -p ~/.local/share/bash-completion/completions
        ploy completion bash > ~/.local/share/bash-completion/completions/ploy
        (needs the bash-completion package; without it: echo 'source <(ploy completion bash)' >> ~/.bashrc)
  zsh   mkdir -p ~/.zfunc && ploy completion zsh > ~/.zfunc/_ploy
        and in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit
  fish  ploy completion fish > ~/.config/fish/completions/ploy.fish
Run the same command again after upgrading Ploy: the script lists the commands and flags of the
version that wrote it.
`;
