import type { CommandContext } from '../command-context.js';
import { endInstagramPause } from '../instagram-pause.js';

/** Dead letters go out again; sends to Instagram paused after an action block go out now. */
export async function retry(ctx: CommandContext): Promise<void> {
  const now = ctx.clock.now();
  const resumed = await endInstagramPause(ctx.store, now);
  const count = await ctx.store.retryDeadLetters(now);
  const retrying = count === 0 ? '' : `Retrying ${count} message${count === 1 ? '' : 's'}.`;
  if (resumed) await ctx.reply(`Sending to Instagram again after the action block. ${retrying}`.trim());
  else await ctx.reply(retrying || 'No dead letters.');
}
