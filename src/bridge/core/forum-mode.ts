// /forum: one topic per Instagram thread in the forum supergroup it is sent in. Forum mode goes on
// only once Telegram says the bot may create topics there; otherwise every DM of a new thread would
// fail to get its topic.
import type { Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { TelegramPort, TgChatMember, TgMessage } from '../ports.js';
import type { BridgeOptionsPort } from './options.js';

export const FORUM_ON = 'Forum mode on: one topic per Instagram thread.';
export const FORUM_ONLY_IN_FORUMS = 'Send /forum in a forum supergroup where this bot is an admin.';
export const FORUM_NEEDS_RIGHTS =
  'Forum mode stays off: this bot must be an admin of this group with the right to manage topics. ' +
  'Make it one, then send /forum again.';

export interface ForumModeDeps {
  /** The bot's id (getMe), when known. */
  botId?: number;
  store: Store;
  telegram: TelegramPort;
  options: BridgeOptionsPort;
  clock: Clock;
}

/** Whether a member of a forum may create its topics (createForumTopic). */
export function canCreateTopics(member: TgChatMember): boolean {
  return member.status === 'creator' || (member.status === 'administrator' && member.can_manage_topics === true);
}

export async function forumCommand(
  deps: ForumModeDeps,
  message: TgMessage,
  topicId: number | undefined,
): Promise<void> {
  const { telegram } = deps;
  const chat = message.chat;
  if (chat.type !== 'supergroup' || !chat.is_forum) {
    await telegram.sendMessage(chat.id, FORUM_ONLY_IN_FORUMS);
    return;
  }
  const answer = (text: string) => telegram.sendMessage(chat.id, text, topicId !== undefined ? { topicId } : {});
  let member: TgChatMember;
  try {
    member = await telegram.getChatMember(chat.id, deps.botId ?? (await telegram.getMe()).id);
  } catch (error) {
    await answer(
      `Forum mode stays off: cannot read this bot's rights here (${errorMessage(error)}). Try /forum again.`,
    );
    return;
  }
  if (!canCreateTopics(member)) {
    await answer(FORUM_NEEDS_RIGHTS);
    return;
  }
  deps.options.update({ forumChatId: chat.id });
  await deps.store.audit({
    at: deps.clock.now(),
    actor: `telegram:${message.from?.id}`,
    action: 'forum_mode',
    detail: String(chat.id),
  });
  await answer(FORUM_ON);
}
