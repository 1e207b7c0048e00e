// The TelegramClient port: everything igtg asks of a Telegram bot, in igtg's terms. One adapter
// (bot-api-client.ts, on node-telegram-bot-api) implements it; the rest of igtg never imports the
// library. Every method throws a TelegramError (errors.ts) on failure.
import type { EpochMs } from '../core/model.js';
import type { TelegramUpdate } from './telegram-update.js';

/** Telegram chat ids fit in a double (supergroups are -100…); strings are accepted for stored ids. */
export type TelegramChatId = number | string;

export type ParseMode = 'HTML';

export interface InlineButton {
  text: string;
  /** callback_data, at most 64 bytes (see keyboards.ts). */
  data?: string;
  url?: string;
}

export type InlineKeyboard = InlineButton[][];

export interface SendTextOptions {
  /** Message id in the same chat to reply to; sent even if that message is gone. */
  replyTo?: number;
  /** Forum topic (message_thread_id). */
  topicId?: number;
  keyboard?: InlineKeyboard;
  parseMode?: ParseMode;
  /** Deliver without a notification sound. */
  silent?: boolean;
  /** Show link previews (off by default: forwarded DMs should look like DMs). */
  linkPreview?: boolean;
}

export type TelegramMediaKind = 'photo' | 'video' | 'voice' | 'audio' | 'document' | 'animation';

export interface SendMediaOptions extends Omit<SendTextOptions, 'linkPreview'> {
  /** File name Telegram shows (and uses to guess the type); defaults from the path or the kind. */
  fileName?: string;
  mime?: string;
}

export interface SentMessage {
  chatId: number;
  messageId: number;
  topicId: number | null;
  sentAt: EpochMs;
  /** file_id of the uploaded media (largest photo size), to resend without uploading again. */
  fileId: string | null;
}

export interface TelegramBotInfo {
  id: number;
  username: string;
  firstName: string;
}

export interface TelegramChatInfo {
  id: number;
  type: string;
  title: string | null;
  isForum: boolean;
}

export interface TelegramChatMember {
  /** creator, administrator, member, restricted, left or kicked. */
  status: string;
  /** An administrator's right to create and manage forum topics (false for everyone else). */
  canManageTopics: boolean;
}

export interface EditOptions {
  parseMode?: ParseMode;
  /** Replaces the inline keyboard; omit to remove it. */
  keyboard?: InlineKeyboard;
}

export interface TelegramClient {
  getMe(): Promise<TelegramBotInfo>;
  /**
   * Long-polls for updates with update_id >= offset (null: from the oldest unconfirmed). Calling
   * it with a higher offset confirms the earlier ones; confirm only after their effects are stored.
   */
  getUpdates(offset: number | null, timeoutSec: number, signal?: AbortSignal): Promise<TelegramUpdate[]>;
  sendText(chatId: TelegramChatId, text: string, options?: SendTextOptions): Promise<SentMessage>;
  /** Uploads `file` (bytes, or a local path). Captions longer than 1024 are refused: see send-split.ts. */
  sendMedia(
    chatId: TelegramChatId,
    kind: TelegramMediaKind,
    file: Uint8Array | string,
    caption: string | null,
    options?: SendMediaOptions,
  ): Promise<SentMessage>;
  editText(chatId: TelegramChatId, messageId: number, text: string, options?: EditOptions): Promise<void>;
  editCaption(chatId: TelegramChatId, messageId: number, caption: string, options?: EditOptions): Promise<void>;
  /** Sets the bot's reaction (one of reactions.ts ALLOWED_REACTIONS) or removes it with null. */
  react(chatId: TelegramChatId, messageId: number, emoji: string | null): Promise<void>;
  deleteMessage(chatId: TelegramChatId, messageId: number): Promise<void>;
  /** Creates a forum topic and returns its id (message_thread_id). */
  createTopic(chatId: TelegramChatId, name: string, options?: { iconColor?: number }): Promise<number>;
  answerCallback(callbackId: string, text?: string, options?: { alert?: boolean }): Promise<void>;
  getChat(chatId: TelegramChatId): Promise<TelegramChatInfo>;
  /** What `userId` is in the chat: the bot asks about itself to learn its own rights. */
  getChatMember(chatId: TelegramChatId, userId: number): Promise<TelegramChatMember>;
  /** Downloads a file by file_id (bots may download up to 20 MB). */
  downloadFile(fileId: string): Promise<Buffer>;
}
