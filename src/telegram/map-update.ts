// Wire update → igtg update. Pure: unit-tested against shared/formats/tg-updates.json.
import type {
  TelegramCallback,
  TelegramChatType,
  TelegramCommand,
  TelegramFileRef,
  TelegramIncomingMessage,
  TelegramPhotoRef,
  TelegramUpdate,
} from './telegram-update.js';
import type { WireFile, WireMessage, WirePhotoSize, WireUpdate, WireUser } from './wire-types.js';

export function mapUpdate(raw: WireUpdate): TelegramUpdate {
  const updateId = raw.update_id;
  const message = raw.message ?? raw.edited_message;
  if (message) return { updateId, kind: 'message', edited: !raw.message, message: mapMessage(message), raw };
  if (raw.callback_query) {
    const query = raw.callback_query;
    const callback: TelegramCallback = {
      id: query.id,
      fromId: query.from.id,
      fromName: displayName(query.from),
      chatId: query.message?.chat.id ?? null,
      messageId: query.message?.message_id ?? null,
      data: query.data ?? null,
    };
    return { updateId, kind: 'callback', callback, raw };
  }
  if (raw.my_chat_member) {
    const member = raw.my_chat_member;
    return {
      updateId,
      kind: 'membership',
      chatId: member.chat.id,
      fromId: member.from.id,
      status: member.new_chat_member?.status ?? 'unknown',
      raw,
    };
  }
  return { updateId, kind: 'other', raw };
}

export function mapMessage(message: WireMessage): TelegramIncomingMessage {
  const text = message.text ?? message.caption ?? null;
  return {
    chatId: message.chat.id,
    chatType: chatType(message.chat.type),
    chatTitle: message.chat.title ?? null,
    isForum: message.chat.is_forum === true,
    messageId: message.message_id,
    topicId: message.is_topic_message ? (message.message_thread_id ?? null) : null,
    fromId: message.from?.id ?? null,
    fromName: message.from ? displayName(message.from) : (message.chat.title ?? ''),
    fromUsername: message.from?.username ?? null,
    fromIsBot: message.from?.is_bot === true,
    sentAt: message.date * 1000,
    editedAt: message.edit_date ? message.edit_date * 1000 : null,
    text,
    command: message.text ? parseCommand(message.text) : null,
    replyToMessageId: replyTarget(message),
    photo: largestPhoto(message.photo),
    document: message.document ? fileRef(message.document) : null,
    otherMedia: otherMediaKind(message),
  };
}

/** `/start@igtg_bot CODE` → { name: 'start', botName: 'igtg_bot', args: 'CODE' }. */
export function parseCommand(text: string): TelegramCommand | null {
  const match = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), botName: match[2]?.toLowerCase() ?? null, args: (match[3] ?? '').trim() };
}

function replyTarget(message: WireMessage): number | null {
  const target = message.reply_to_message;
  if (!target) return null;
  // Inside a forum topic every message "replies" to the topic's creation service message.
  if (target.forum_topic_created) return null;
  if (message.is_topic_message && target.message_id === message.message_thread_id) return null;
  return target.message_id;
}

function largestPhoto(sizes: WirePhotoSize[] | undefined): TelegramPhotoRef | null {
  if (!sizes || sizes.length === 0) return null;
  let best = sizes[0]!;
  for (const size of sizes) if (size.width * size.height >= best.width * best.height) best = size;
  return {
    fileId: best.file_id,
    fileUniqueId: best.file_unique_id ?? null,
    fileName: null,
    mime: 'image/jpeg',
    size: best.file_size ?? null,
    width: best.width,
    height: best.height,
  };
}

function fileRef(file: WireFile): TelegramFileRef {
  return {
    fileId: file.file_id,
    fileUniqueId: file.file_unique_id ?? null,
    fileName: file.file_name ?? null,
    mime: file.mime_type ?? null,
    size: file.file_size ?? null,
  };
}

function otherMediaKind(message: WireMessage): string | null {
  for (const kind of ['video', 'voice', 'audio', 'animation', 'sticker'] as const) {
    if (message[kind]) return kind;
  }
  return null;
}

function chatType(type: string): TelegramChatType {
  return type === 'group' || type === 'supergroup' || type === 'channel' ? type : 'private';
}

function displayName(user: WireUser): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return name || user.username || String(user.id);
}
