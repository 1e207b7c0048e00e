import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerSearch(program: Command, run: CommandRunner): void {
  program
    .command('search')
    .description('full-text search of stored messages')
    .argument('<query...>', 'words, "exact phrase", prefix*, -excluded, OR')
    .action(
      run(async () => {
        throw new NotAvailableError('search');
      }),
    );
}
