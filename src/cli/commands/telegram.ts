import type { Command } from 'commander';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';

export function registerTelegram(program: Command, run: CommandRunner): void {
  const telegram = program.command('telegram').description('set up the Telegram bot');
  telegram
    .command('setup')
    .description('store the bot token (prompt or IGTG_TELEGRAM_TOKEN) and pair the owner')
    .option('--timeout <seconds>', 'how long to wait for the owner to send /start CODE', '600')
    .action(
      run(async (ctx: Context, flags: { timeout: string }) => {
        const { telegramSetup } = await import('../../bridge/service/telegram-setup.js');
        await telegramSetup(ctx, { timeoutSec: Number(flags.timeout) });
      }),
    );
}
