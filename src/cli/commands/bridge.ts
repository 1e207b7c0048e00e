import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerBridge(program: Command, run: CommandRunner): void {
  program
    .command('bridge')
    .description('run the Instagram <-> Telegram bridge in the foreground')
    .action(
      run(async () => {
        throw new NotAvailableError('bridge');
      }),
    );
}
