import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { SHELLS, completionScript, type Shell } from '../completion-script.js';
import type { CommandRunner } from '../program.js';

export function registerCompletion(program: Command, run: CommandRunner): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', SHELLS.join(', '))
    .action(
      run(async (ctx, shell: string) => {
        if (!(SHELLS as readonly string[]).includes(shell)) {
          throw new UsageError(`completion: unknown shell "${shell}" (use ${SHELLS.join(', ')})`);
        }
        ctx.out.line(completionScript(program, shell as Shell).trimEnd());
      }),
    );
}
