import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerTelegram(program: Command, run: CommandRunner): void {
  const telegram = program.command('telegram').description('set up the Telegram bot');
  telegram
    .command('setup')
    .description('store the bot token and pair the owner')
    .action(
      run(async () => {
        throw new NotAvailableError('telegram setup');
      }),
    );
}
