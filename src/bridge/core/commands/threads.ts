import type { Keyboard } from '../../ports.js';
import type { CommandContext } from '../command-context.js';
import { BridgeMeta } from '../state-keys.js';
import { truncate } from '../split-text.js';
import { pickData, THREADS_PAGE_ACTION } from './buttons.js';
import { showMessages } from './messages.js';

export const THREADS_PAGE = 8;

/** A thread known only from an imported archive: Instagram has no such thread to send to. */
export function isArchiveOnly(threadId: string): boolean {
  return threadId.startsWith('archive:');
}

export async function threadsPage(ctx: CommandContext, page: number): Promise<{ text: string; keyboard: Keyboard }> {
  // Archive-only threads cannot be answered, so they are left out; all threads are read first, as a
  // limit taken before leaving them out would cut pages short and lose the "older" button.
  const threads = (await ctx.store.listThreads()).filter((t) => !isArchiveOnly(t.id));
  const slice = threads.slice(page * THREADS_PAGE, (page + 1) * THREADS_PAGE);
  const active = await ctx.store.getMeta(BridgeMeta.activeThread);
  const keyboard: Keyboard = slice.map((t) => [
    { text: truncate(`${t.id === active ? '● ' : ''}${t.isRequest ? '📩 ' : ''}${t.title}`, 60), data: pickData(t.id) },
  ]);
  const nav = [];
  if (page > 0) nav.push({ text: '« newer', data: `${THREADS_PAGE_ACTION}:${page - 1}` });
  if (threads.length > (page + 1) * THREADS_PAGE)
    nav.push({ text: 'older »', data: `${THREADS_PAGE_ACTION}:${page + 1}` });
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

/**
 * A thread button: makes it the active thread and shows its recent messages. An archive-only thread
 * (a /search result) is shown but not made active: what the owner writes next could not reach it.
 */
export async function pickThread(ctx: CommandContext, threadId: string | null): Promise<string> {
  const thread = threadId ? await ctx.store.getThread(threadId) : null;
  if (!thread) return 'That thread is not in the store any more.';
  if (isArchiveOnly(thread.id)) {
    await showMessages(ctx, thread.id);
    const activeId = await ctx.store.getMeta(BridgeMeta.activeThread);
    const active = activeId ? await ctx.store.getThread(activeId) : null;
    // In the forum group plain messages go by topic, not to the active thread.
    const inForum = ctx.options.get().forumChatId === ctx.chatId;
    const next = inForum
      ? ''
      : active
        ? ` Plain messages still go to ${active.title}.`
        : ' Pick a thread to write to with /threads.';
    await ctx.reply(
      `🗄 ${thread.title} is only in an imported archive: it cannot be answered, so it is not the active thread.${next}`,
    );
    return 'Archive only: cannot be answered';
  }
  await ctx.store.setMeta(BridgeMeta.activeThread, thread.id);
  await showMessages(ctx, thread.id);
  return `Active thread: ${thread.title}`;
}
