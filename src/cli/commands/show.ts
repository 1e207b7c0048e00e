import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerShow(program: Command, run: CommandRunner): void {
  program
    .command('show')
    .description("show a thread's messages, oldest to newest")
    .argument('<thread>', 'thread id or a unique part of its title')
    .action(
      run(async () => {
        throw new NotAvailableError('show');
      }),
    );
}
