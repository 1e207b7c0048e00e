import type { CommandContext } from '../command-context.js';

export async function retry(ctx: CommandContext): Promise<void> {
  const count = await ctx.store.retryDeadLetters(ctx.clock.now());
  await ctx.reply(count === 0 ? 'No dead letters.' : `Retrying ${count} message${count === 1 ? '' : 's'}.`);
}
