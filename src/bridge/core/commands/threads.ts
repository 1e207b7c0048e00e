import type { Keyboard } from '../../ports.js';
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';
import { truncate } from '../split-text.js';
import { showMessages } from './messages.js';

export const THREADS_PAGE = 8;

export async function threadsPage(ctx: CommandContext, page: number): Promise<{ text: string; keyboard: Keyboard }> {
  // Archive-only threads cannot be answered, so they are left out; all threads are read first, as a
  // limit taken before leaving them out would cut pages short and lose the "older" button.
  const threads = (await ctx.store.listThreads()).filter((t) => !t.id.startsWith('archive:'));
  const slice = threads.slice(page * THREADS_PAGE, (page + 1) * THREADS_PAGE);
  const active = await ctx.store.getMeta(BridgeMeta.activeThread);
  const keyboard: Keyboard = slice.map((t) => [
    { text: truncate(`${t.id === active ? '● ' : ''}${t.isRequest ? '📩 ' : ''}${t.title}`, 60), data: `t:${t.id}` },
  ]);
  const nav = [];
  if (page > 0) nav.push({ text: '« newer', data: `tp:${page - 1}` });
  if (threads.length > (page + 1) * THREADS_PAGE) nav.push({ text: 'older »', data: `tp:${page + 1}` });
  if (nav.length > 0) keyboard.push(nav);
  const text = slice.length === 0 ? 'No threads yet. Try /sync.' : `Pick the active thread (page ${page + 1}):`;
  return { text, keyboard };
}

export async function threads(ctx: CommandContext): Promise<void> {
  const { text, keyboard } = await threadsPage(ctx, 0);
  await ctx.reply(text, keyboard);
}

export async function threadsPageButton(ctx: CommandContext, messageId: number, page: number): Promise<void> {
  const { text, keyboard } = await threadsPage(ctx, Math.max(0, page));
  await ctx.edit(messageId, text, keyboard);
}

/** A thread button: makes it the active thread and shows its recent messages. */
export async function pickThread(ctx: CommandContext, threadId: string): Promise<string> {
  const thread = await ctx.store.getThread(threadId);
  if (!thread) return 'That thread is not in the store any more.';
  await ctx.store.setMeta(BridgeMeta.activeThread, threadId);
  await showMessages(ctx, threadId, undefined);
  return `Active thread: ${thread.title}`;
}
