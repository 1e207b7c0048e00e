import { toIso } from '../../../core/time.js';
import type { MessageRange } from '../../../store/store.js';
import type { CommandContext } from '../command-context.js';
import { body, senderLabel } from '../render.js';
import { splitPlain, truncate } from '../split-text.js';
import { olderData } from './buttons.js';

export const MESSAGES_PAGE = 10;

/** Where a page ends (exclusive): nothing for the newest page. */
export type PageEnd = Pick<MessageRange, 'before' | 'beforeMessage'>;

export async function showMessages(ctx: CommandContext, threadId: string, end: PageEnd = {}): Promise<void> {
  const thread = await ctx.store.getThread(threadId);
  if (!thread) {
    await ctx.reply('Unknown thread.');
    return;
  }
  const older = end.before !== undefined || end.beforeMessage !== undefined;
  const messages = await ctx.store.listMessages(threadId, { limit: MESSAGES_PAGE, ...end });
  if (messages.length === 0) {
    await ctx.reply(`💬 ${thread.title}: no ${older ? 'older ' : ''}messages.`);
    return;
  }
  // A photo or GIF without a caption has no body (live, its media goes with it): say what it was.
  const lines = messages.map(
    (m) =>
      `[${toIso(m.sentAt).slice(0, 16).replace('T', ' ')}] ${senderLabel(m)}: ${truncate((body(m) || `(${m.kind})`).replace(/\n/g, ' '), 300)}`,
  );
  const text = `💬 ${thread.title}\n${lines.join('\n')}`;
  const parts = splitPlain(text);
  // The next page goes on from this page's oldest message by (time, id): messages of the same
  // millisecond that did not fit on this page come on the next one.
  const oldest = { sentAt: messages[0]!.sentAt, id: messages[0]!.id };
  const hasOlder =
    messages.length === MESSAGES_PAGE &&
    (await ctx.store.listMessages(threadId, { limit: 1, beforeMessage: oldest })).length > 0;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    await ctx.reply(parts[i]!, last && hasOlder ? [[{ text: 'older', data: olderData(threadId, oldest) }]] : undefined);
  }
}

export async function messages(ctx: CommandContext, args: string): Promise<void> {
  let threadId: string | null;
  if (args) {
    const found = await ctx.store.findThreads(args);
    if (found.length === 0) {
      await ctx.reply(`No thread matches "${truncate(args, 60)}".`);
      return;
    }
    threadId = found[0]!.id;
  } else {
    threadId = await ctx.currentThread();
  }
  if (!threadId) {
    await ctx.reply('Which thread? /messages NAME, or pick one with /threads.');
    return;
  }
  await showMessages(ctx, threadId);
}
