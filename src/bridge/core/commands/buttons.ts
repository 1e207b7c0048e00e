// The callback_data of the bot's thread buttons. Telegram refuses a whole message when one button
// carries more than 64 bytes, and ids do not always fit (archive thread ids hold the folder name;
// an "older" button names a thread and a message): what does not fit goes as a short hash, found
// again among the threads, or among the messages of one millisecond.
import type { MessageCursor, MessageRange } from '../../../store/store.js';
import { callbackArgMatches, callbackData, callbackDataArgs, parseCallbackArgs } from '../../../telegram/keyboards.js';
import type { CommandContext } from '../command-context.js';

/** Picks a thread: `t:<thread>`. */
export const PICK_ACTION = 't';
/** A page of /threads: `tp:<page>`. */
export const THREADS_PAGE_ACTION = 'tp';
/** Older messages: `mp:<sentAt>:<message>:<thread>`, the page before that message. */
export const OLDER_ACTION = 'mp';
/** The older-messages button of earlier builds: `mo:<thread>:<sentAt>` (may still be in chats). */
export const LEGACY_OLDER_ACTION = 'mo';

export function pickData(threadId: string): string {
  return callbackData(PICK_ACTION, threadId);
}

export function olderData(threadId: string, oldest: MessageCursor): string {
  return callbackDataArgs(OLDER_ACTION, [String(oldest.sentAt), oldest.id, threadId]);
}

/** The thread a button argument designates; null when no stored thread matches. */
export async function threadOf(ctx: CommandContext, arg: string): Promise<string | null> {
  if (!arg) return null;
  if (!arg.startsWith('#')) return arg;
  const threads = await ctx.store.listThreads();
  return threads.find((t) => callbackArgMatches(arg, t.id))?.id ?? null;
}

export interface OlderPage {
  threadId: string;
  /** Where the page ends (exclusive). */
  range: Pick<MessageRange, 'before' | 'beforeMessage'>;
}

/** The page an "older" button asks for (either form); null when the data is not one or its thread is gone. */
export async function olderPageOf(ctx: CommandContext, action: string, arg: string): Promise<OlderPage | null> {
  if (action === LEGACY_OLDER_ACTION) {
    const cut = arg.lastIndexOf(':');
    const before = Number(arg.slice(cut + 1));
    if (cut <= 0 || !Number.isFinite(before)) return null;
    return { threadId: arg.slice(0, cut), range: { before } };
  }
  const args = parseCallbackArgs(arg, 3);
  if (!args) return null;
  const [at, messageArg, threadArg] = args as [string, string, string];
  const sentAt = Number(at);
  if (at === '' || !Number.isSafeInteger(sentAt)) return null;
  const threadId = await threadOf(ctx, threadArg);
  if (!threadId) return null;
  if (!messageArg.startsWith('#')) return { threadId, range: { beforeMessage: { sentAt, id: messageArg } } };
  const sameTime = await ctx.store.listMessages(threadId, { since: sentAt, before: sentAt + 1 });
  const oldest = sameTime.find((m) => callbackArgMatches(messageArg, m.id));
  // The message is gone (unsent, merged away): its whole millisecond again rather than a gap.
  return { threadId, range: oldest ? { beforeMessage: { sentAt, id: oldest.id } } : { before: sentAt + 1 } };
}
