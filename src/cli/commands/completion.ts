import type { Command } from '../context.js';
import { bashCompletion, zshCompletion } from '../completion.js';

/** The commands come from main.ts (which lists this one): passed in, not imported back. */
export const completionCommand = (commands: () => readonly Command<never>[]): Command<{ shell: 'bash' | 'zsh' }> => ({
  command: 'completion [shell]',
  describe: 'Print a shell completion script for bash or zsh (commands, options, their values, shipped profile names)',
  positional: { shell: { choices: ['bash', 'zsh'], default: 'bash', describe: 'the shell' } },
  examples: ['completion bash > ~/.local/share/bash-completion/completions/migcheck', 'completion zsh > "${fpath[1]}/_migcheck"'],
  async run(args, ctx) {
    await ctx.emit(args.shell === 'zsh' ? zshCompletion(commands()) : bashCompletion(commands()), true);
    return 0;
  },
});
