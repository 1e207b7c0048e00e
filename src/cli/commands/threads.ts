import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerThreads(program: Command, run: CommandRunner): void {
  program
    .command('threads')
    .description('list threads, newest activity first')
    .action(
      run(async () => {
        throw new NotAvailableError('threads');
      }),
    );
}
