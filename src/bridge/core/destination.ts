// Where a thread's messages go in Telegram: the owner's private chat, or the thread's topic in the
// forum supergroup (created on the thread's first message, named after it).
import type { Store } from '../../store/store.js';
import { DeliveryError, type TelegramPort } from '../ports.js';
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
    const topicId = await newTopic(threadId, forumChatId, store, telegram);
    return { chatId: forumChatId, topicId, mode: 'forum' };
  }
  if (ownerId === null) return null;
  return { chatId: ownerId, topicId: undefined, mode: 'private' };
}

/** Creates the thread's topic in the forum group (replacing one that was deleted); returns its id. */
export async function newTopic(
  threadId: string,
  forumChatId: number,
  store: Store,
  telegram: TelegramPort,
): Promise<number> {
  const thread = await store.getThread(threadId);
  const name = truncate((thread?.title || threadId).trim() || threadId, 128);
  let topicId: number;
  try {
    ({ topicId } = await telegram.createForumTopic(forumChatId, name));
  } catch (error) {
    if (error instanceof DeliveryError && error.permanent) throw new TopicRefusedError(forumChatId, error);
    throw error;
  }
  await store.putTopic({ threadId, telegramChatId: String(forumChatId), topicId });
  return topicId;
}

/** Telegram's answer to a post into a forum topic that was deleted. */
export function isTopicGone(error: unknown): boolean {
  return error instanceof Error && /message thread not found|TOPIC_DELETED/i.test(error.message);
}

/**
 * Telegram refused for good to create a topic in the forum group (the bot lost its admin rights, say):
 * no thread without a topic can be delivered until the owner acts.
 */
export class TopicRefusedError extends DeliveryError {
  constructor(
    readonly forumChatId: number,
    cause: DeliveryError,
  ) {
    super(`cannot create a forum topic: ${cause.message}`, { permanent: true, code: cause.code, cause });
    this.name = 'TopicRefusedError';
  }
}
