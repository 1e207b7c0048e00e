// Where a thread's messages go in Telegram: the owner's private chat, or the thread's topic in the
// forum supergroup (created on the thread's first message, named after it).
import type { Store } from '../../store/store.js';
import type { TelegramPort } from '../ports.js';
import type { BridgeOptionsPort } from './options.js';
import { truncate } from './split-text.js';

export interface Destination {
  chatId: number;
  topicId: number | undefined;
  mode: 'private' | 'forum';
}

export async function destinationFor(
  threadId: string,
  store: Store,
  telegram: TelegramPort,
  options: BridgeOptionsPort,
): Promise<Destination | null> {
  const { forumChatId, ownerId } = options.get();
  if (forumChatId !== null) {
    const existing = await store.getTopicByThread(threadId, String(forumChatId));
    if (existing) return { chatId: forumChatId, topicId: existing.topicId, mode: 'forum' };
    const thread = await store.getThread(threadId);
    const name = truncate((thread?.title || threadId).trim() || threadId, 128);
    const { topicId } = await telegram.createForumTopic(forumChatId, name);
    await store.putTopic({ threadId, telegramChatId: String(forumChatId), topicId });
    return { chatId: forumChatId, topicId, mode: 'forum' };
  }
  if (ownerId === null) return null;
  return { chatId: ownerId, topicId: undefined, mode: 'private' };
}
