// sendMessage, the send<Media> family, edits, reactions and deletes, validated as the real
// server validates them (limits measured on the text after entity parsing).
import { badRequest, tgErrors } from './api-error.js';
import type { HandlerContext } from './handler.js';
import type { UploadedFile } from './multipart.js';
import type { Params } from './params.js';
import { parseHtml } from './parse-html.js';
import { BOT_REACTIONS } from './reaction-list.js';
import {
  baseMessage,
  type ChatRecord,
  type FakeMessage,
  type FakeMessageKind,
  type FakeTelegramState,
  nowSec,
  replyCopy,
} from './state.js';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export function sendMessage({ state, params }: HandlerContext): unknown {
  const record = chatForSend(state, params);
  const topicId = topicOf(record, params);
  const raw = params.string('text') ?? '';
  const parseMode = params.string('parse_mode') ?? null;
  const text = visibleText(raw, parseMode);
  if (text.trim() === '') throw tgErrors.textEmpty();
  if (text.length > TEXT_LIMIT) throw tgErrors.tooLong();
  const target = replyTarget(record, params);
  const keyboard = keyboardOf(params);
  const message = state.storeBotMessage(record, (messageId) => {
    const wire = botWire(state, record, messageId, topicId, target);
    wire.text = text;
    if (keyboard) wire.reply_markup = keyboard;
    const stored = baseMessage(record.chat.id, messageId, true, wire, 'text', topicId);
    return Object.assign(stored, {
      text,
      rawText: raw,
      parseMode,
      keyboard,
      replyToMessageId: target?.messageId ?? null,
    });
  });
  return message.wire;
}

const MEDIA_FIELDS: Record<string, Exclude<FakeMessageKind, 'text' | 'service'>> = {
  sendphoto: 'photo',
  sendvideo: 'video',
  sendvoice: 'voice',
  sendaudio: 'audio',
  senddocument: 'document',
  sendanimation: 'animation',
};

export function sendMedia(context: HandlerContext, method: string): unknown {
  const { state, params } = context;
  const kind = MEDIA_FIELDS[method]!;
  const record = chatForSend(state, params);
  const topicId = topicOf(record, params);
  const { upload, bytes, existing } = mediaInput(state, params, kind);
  const rawCaption = params.string('caption') ?? null;
  const parseMode = params.string('parse_mode') ?? null;
  const caption = rawCaption === null ? null : visibleText(rawCaption, parseMode);
  if (caption !== null && caption.length > CAPTION_LIMIT) throw tgErrors.captionTooLong();
  const target = replyTarget(record, params);
  const keyboard = keyboardOf(params);
  const message = state.storeBotMessage(record, (messageId) => {
    const wire = botWire(state, record, messageId, topicId, target);
    const fileId = attachMedia(state, wire, kind, bytes, upload, existing);
    if (caption) wire.caption = caption;
    if (keyboard) wire.reply_markup = keyboard;
    const stored = baseMessage(record.chat.id, messageId, true, wire, kind, topicId);
    return Object.assign(stored, {
      caption,
      rawCaption,
      parseMode,
      keyboard,
      upload,
      fileId,
      replyToMessageId: target?.messageId ?? null,
    });
  });
  return message.wire;
}

export function editMessageText({ state, params }: HandlerContext): unknown {
  const { message } = editable(state, params);
  if (message.kind !== 'text') throw badRequest('there is no text in the message to edit');
  const raw = params.string('text') ?? '';
  const parseMode = params.string('parse_mode') ?? null;
  const text = visibleText(raw, parseMode);
  if (text.trim() === '') throw tgErrors.textEmpty();
  if (text.length > TEXT_LIMIT) throw tgErrors.tooLong();
  const keyboard = keyboardOf(params);
  if (text === message.text && sameJson(keyboard, message.keyboard)) throw tgErrors.notModified();
  Object.assign(message, { text, rawText: raw, parseMode, keyboard, editCount: message.editCount + 1 });
  message.wire.text = text;
  return markEdited(message, keyboard);
}

export function editMessageCaption({ state, params }: HandlerContext): unknown {
  const { message } = editable(state, params);
  if (message.kind === 'text' || message.kind === 'service')
    throw badRequest('there is no caption in the message to edit');
  const raw = params.string('caption') ?? '';
  const parseMode = params.string('parse_mode') ?? null;
  const caption = visibleText(raw, parseMode);
  if (caption.length > CAPTION_LIMIT) throw tgErrors.captionTooLong();
  const keyboard = keyboardOf(params);
  if (caption === (message.caption ?? '') && sameJson(keyboard, message.keyboard)) throw tgErrors.notModified();
  Object.assign(message, { caption, rawCaption: raw, parseMode, keyboard, editCount: message.editCount + 1 });
  if (caption) message.wire.caption = caption;
  else delete message.wire.caption;
  return markEdited(message, keyboard);
}

export function setMessageReaction({ state, params }: HandlerContext): unknown {
  const record = chatForSend(state, params);
  const message = record.messages.get(params.messageId());
  if (!message || message.deleted) throw badRequest('MESSAGE_ID_INVALID');
  const reaction = params.json<unknown>('reaction') ?? [];
  if (!Array.isArray(reaction)) throw badRequest("can't parse reaction types JSON object");
  if (reaction.length > 1) throw badRequest('REACTIONS_TOO_MANY');
  const emoji = reaction.map((item: { type?: unknown; emoji?: unknown }) => {
    if (item?.type !== 'emoji' || typeof item.emoji !== 'string' || !BOT_REACTIONS.has(item.emoji)) {
      throw badRequest('REACTION_INVALID');
    }
    return item.emoji;
  });
  message.reactions = emoji;
  return true;
}

export function deleteMessage({ state, params }: HandlerContext): unknown {
  const record = chatForSend(state, params);
  const message = record.messages.get(params.messageId());
  if (!message || message.deleted) throw badRequest('message to delete not found');
  message.deleted = true;
  return true;
}

// --- shared checks ------------------------------------------------------------------------------

export function chatForSend(state: FakeTelegramState, params: Params): ChatRecord {
  const record = state.findChat(params.chatId());
  if (!record) throw tgErrors.chatNotFound();
  if (record.blocked) throw record.chat.type === 'private' ? tgErrors.blocked() : tgErrors.kicked();
  return record;
}

function topicOf(record: ChatRecord, params: Params): number | null {
  const topicId = params.int('message_thread_id');
  if (topicId === undefined) return null;
  if (!record.chat.is_forum || !record.topics.has(topicId)) throw tgErrors.threadNotFound();
  return topicId;
}

function replyTarget(record: ChatRecord, params: Params): FakeMessage | null {
  const parameters = params.json<{ message_id?: number; allow_sending_without_reply?: boolean }>('reply_parameters');
  const id = parameters?.message_id ?? params.int('reply_to_message_id');
  if (id === undefined) return null;
  const allowMissing = parameters?.allow_sending_without_reply ?? params.bool('allow_sending_without_reply') ?? false;
  const target = record.messages.get(id);
  if (target && !target.deleted) return target;
  if (allowMissing) return null;
  throw tgErrors.replyNotFound();
}

function keyboardOf(params: Params): Record<string, unknown> | null {
  const markup = params.json<Record<string, unknown>>('reply_markup');
  if (!markup) return null;
  const rows = markup.inline_keyboard;
  if (rows === undefined) return markup;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
  }
  for (const button of rows.flat() as { text?: unknown; callback_data?: unknown; url?: unknown }[]) {
    if (typeof button?.text !== 'string') throw badRequest("can't parse inline keyboard button: Text must be a String");
    if (button.callback_data !== undefined) {
      const size = typeof button.callback_data === 'string' ? Buffer.byteLength(button.callback_data) : 0;
      if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
    } else if (button.url === undefined) {
      throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    }
  }
  return markup;
}

function visibleText(raw: string, parseMode: string | null): string {
  if (parseMode === null || parseMode === '') return raw;
  const mode = parseMode.toLowerCase();
  if (mode === 'html') return parseHtml(raw);
  if (mode === 'markdown' || mode === 'markdownv2') return raw; // not emulated: counted as sent
  throw badRequest(`unsupported parse_mode "${parseMode}"`);
}

function botWire(
  state: FakeTelegramState,
  record: ChatRecord,
  messageId: number,
  topicId: number | null,
  target: FakeMessage | null,
): Record<string, unknown> {
  const wire: Record<string, unknown> = { message_id: messageId, from: state.bot, chat: record.chat, date: nowSec() };
  if (topicId !== null) {
    wire.message_thread_id = topicId;
    wire.is_topic_message = true;
  }
  if (target) wire.reply_to_message = replyCopy(target.wire);
  return wire;
}

function editable(state: FakeTelegramState, params: Params): { record: ChatRecord; message: FakeMessage } {
  if (params.has('inline_message_id')) throw badRequest('inline messages are not supported by this fake');
  const record = chatForSend(state, params);
  const message = record.messages.get(params.messageId());
  if (!message || message.deleted) throw tgErrors.editNotFound();
  if (!message.fromBot) throw badRequest("message can't be edited");
  return { record, message };
}

function markEdited(message: FakeMessage, keyboard: Record<string, unknown> | null): unknown {
  message.wire.edit_date = nowSec();
  if (keyboard) message.wire.reply_markup = keyboard;
  else delete message.wire.reply_markup;
  return message.wire;
}

function mediaInput(
  state: FakeTelegramState,
  params: Params,
  field: string,
): { upload: UploadedFile | null; bytes: Buffer; existing: string | null } {
  const upload = params.file(field);
  if (upload) return { upload, bytes: upload.bytes, existing: null };
  const value = params.string(field);
  if (!value) throw badRequest(`there is no ${field} in the request`);
  if (value.startsWith('attach://')) {
    const attached = params.file(value.slice('attach://'.length));
    if (!attached) throw badRequest(`there is no ${field} in the request`);
    return { upload: attached, bytes: attached.bytes, existing: null };
  }
  const known = state.file(value);
  if (known) return { upload: null, bytes: known.bytes, existing: known.file_id };
  if (/^https?:\/\//i.test(value)) return { upload: null, bytes: Buffer.alloc(0), existing: null };
  throw badRequest('wrong file identifier/HTTP URL specified');
}

/** Adds the media object(s) Telegram returns for `kind`; returns the file_id igtg would reuse. */
function attachMedia(
  state: FakeTelegramState,
  wire: Record<string, unknown>,
  kind: Exclude<FakeMessageKind, 'text' | 'service'>,
  bytes: Buffer,
  upload: UploadedFile | null,
  existing: string | null,
): string {
  if (kind === 'photo') {
    const sizes = state.photoSizes(bytes);
    wire.photo = sizes;
    return sizes.at(-1)!.file_id as string;
  }
  const file = existing ? state.file(existing)! : state.addFile(bytes, { dir: `${kind}s` });
  const object: Record<string, unknown> = {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.file_size,
    mime_type: upload?.contentType ?? DEFAULT_MIME[kind],
  };
  if (kind === 'video' || kind === 'animation') Object.assign(object, { width: 0, height: 0, duration: 0 });
  if (kind === 'voice' || kind === 'audio') object.duration = 0;
  if (kind !== 'voice' && upload) object.file_name = upload.filename;
  wire[kind] = object;
  // GIFs come back as both an animation and a document.
  if (kind === 'animation') wire.document = { ...object };
  return file.file_id;
}

const DEFAULT_MIME: Record<string, string> = {
  video: 'video/mp4',
  voice: 'audio/ogg',
  audio: 'audio/mpeg',
  document: 'application/octet-stream',
  animation: 'video/mp4',
};

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
