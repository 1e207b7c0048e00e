// getMe, getUpdates, forum topics, callback answers, files, chats, chat members and chat actions.
import { badRequest, tgErrors } from './api-error.js';
import type { HandlerContext } from './handler.js';
import { chatForSend } from './methods-send.js';

/** Bots may download files up to 20 MB through getFile. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const ICON_COLORS = new Set([7322096, 16766590, 13338331, 9367192, 16749490, 16478047]);
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export function getMe({ state }: HandlerContext): unknown {
  return { ...state.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
}

export function getUpdates({ state, params, onClose }: HandlerContext): Promise<unknown> {
  const allowed = params.json<unknown>('allowed_updates');
  if (allowed !== undefined && (!Array.isArray(allowed) || allowed.some((t) => typeof t !== 'string'))) {
    throw badRequest("can't parse allowed updates JSON object");
  }
  return state.updates.poll(
    {
      offset: params.int('offset'),
      limit: params.int('limit'),
      timeoutSec: params.int('timeout'),
      allowedUpdates: allowed as string[] | undefined,
    },
    onClose,
  );
}

export function createForumTopic({ state, params }: HandlerContext): unknown {
  const record = state.findChat(params.chatId());
  if (!record) throw tgErrors.chatNotFound();
  if (record.chat.type !== 'supergroup' || !record.chat.is_forum) throw badRequest('the chat is not a forum');
  if (!record.botIsAdmin || !record.botCanManageTopics) throw badRequest('not enough rights to create a topic');
  const name = params.string('name') ?? '';
  if (name.trim() === '') throw badRequest('TOPIC_TITLE_EMPTY');
  if (name.length > 128) throw badRequest('TOPIC_TITLE_TOO_LONG');
  const iconColor = params.int('icon_color') ?? 7322096;
  if (!ICON_COLORS.has(iconColor)) throw badRequest('TOPIC_ICON_COLOR_INVALID');
  const topicId = state.createTopic(record.chat.id, name, iconColor);
  return { message_thread_id: topicId, name, icon_color: iconColor };
}

export function answerCallbackQuery({ state, params }: HandlerContext): unknown {
  const query = state.callback(params.string('callback_query_id') ?? '');
  if (!query || query.answered) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const text = params.string('text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  query.answered = true;
  query.answer = {};
  if (text !== undefined) query.answer.text = text;
  const alert = params.bool('show_alert');
  if (alert !== undefined) query.answer.show_alert = alert;
  return true;
}

export function getFile({ state, params }: HandlerContext): unknown {
  const file = state.file(params.string('file_id') ?? '');
  if (!file) throw badRequest('invalid file_id');
  if (file.file_size > MAX_DOWNLOAD_BYTES) throw tgErrors.fileTooBig();
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.file_size,
    file_path: file.file_path,
  };
}

export function getChat({ state, params }: HandlerContext): unknown {
  const record = state.findChat(params.chatId());
  if (!record) throw tgErrors.chatNotFound();
  return { ...record.chat, accent_color_id: 0, max_reaction_count: 11 };
}

export function getChatMember({ state, params }: HandlerContext): unknown {
  const record = state.findChat(params.chatId());
  if (!record) throw tgErrors.chatNotFound();
  const userId = params.int('user_id');
  if (userId === undefined) throw badRequest('invalid user_id specified');
  const member = state.memberOf(record, userId);
  if (!member) throw badRequest('user not found');
  return member;
}

export function sendChatAction({ state, params }: HandlerContext): unknown {
  chatForSend(state, params);
  if (!CHAT_ACTIONS.has(params.string('action') ?? '')) throw badRequest('wrong parameter action in request');
  return true;
}
