import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerSync(program: Command, run: CommandRunner): void {
  program
    .command('sync')
    .description('pull threads, users and messages from Instagram into the store')
    .option('--full', 're-walk every thread from the start')
    .option('--thread <idOrTitle...>', 'only these threads')
    .option('--media', 'download photos, videos and voice notes')
    .action(
      run(async () => {
        throw new NotAvailableError('sync');
      }),
    );
}
