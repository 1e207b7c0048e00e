// The bridge's TelegramPort on igtg's TelegramClient (src/telegram): raw updates for the core, and
// Telegram failures turned into DeliveryErrors (429 → retryAfterMs; 401/403 → a longer wait; other 4xx → permanent).
import { TelegramBlocked, TelegramError, TelegramRateLimited, TelegramUnauthorized } from '../../telegram/errors.js';
import type { InlineKeyboard, SendTextOptions, TelegramClient } from '../../telegram/telegram-client.js';
import {
  DeliveryError,
  type Keyboard,
  type SendOptions,
  type TelegramPort,
  type TgChatMember,
  type TgMediaKind,
  type TgUpdate,
  type TgUser,
} from '../ports.js';

function keyboardOf(keyboard: Keyboard | undefined): InlineKeyboard | undefined {
  return keyboard?.map((row) => row.map((b) => ({ text: b.text, data: b.data })));
}

function sendOptions(options: SendOptions = {}): SendTextOptions {
  const out: SendTextOptions = {};
  if (options.topicId !== undefined) out.topicId = options.topicId;
  if (options.replyTo !== undefined) out.replyTo = options.replyTo;
  if (options.silent) out.silent = true;
  const keyboard = keyboardOf(options.keyboard);
  if (keyboard) out.keyboard = keyboard;
  return out;
}

/**
 * How long a delivery waits while the owner has blocked the bot (or the bot left the forum group, or
 * its token was revoked). Nothing says when that ends, so the head of each lane asks again at this
 * pace; messages are held meanwhile, never dead-lettered.
 */
export const CHAT_CLOSED_RETRY_MS = 2 * 60_000;

export function toDeliveryError(error: unknown): unknown {
  if (error instanceof TelegramBlocked || error instanceof TelegramUnauthorized)
    return new DeliveryError(error.message, {
      retryAfterMs: CHAT_CLOSED_RETRY_MS,
      code: error.errorCode,
      cause: error,
    });
  if (error instanceof TelegramRateLimited)
    return new DeliveryError(error.message, { retryAfterMs: error.retryAfterMs, code: 429, cause: error });
  if (error instanceof TelegramError)
    return new DeliveryError(error.message, {
      permanent: !error.retryable,
      transient: error.retryable,
      code: error.errorCode,
      cause: error,
    });
  return error;
}

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDeliveryError(error);
  }
}

export class TelegramClientPort implements TelegramPort {
  constructor(private readonly client: TelegramClient) {}

  getMe(): Promise<TgUser> {
    return mapped(async () => {
      const me = await this.client.getMe();
      return { id: me.id, is_bot: true, username: me.username, first_name: me.firstName };
    });
  }

  getUpdates(offset: number, timeoutSeconds: number, signal?: AbortSignal): Promise<TgUpdate[]> {
    return mapped(async () => {
      const updates = await this.client.getUpdates(offset > 0 ? offset : null, timeoutSeconds, signal);
      return updates.map((u) => u.raw as unknown as TgUpdate);
    });
  }

  sendMessage(chatId: number, text: string, options?: SendOptions): Promise<{ messageId: number }> {
    return mapped(async () => ({
      messageId: (await this.client.sendText(chatId, text, sendOptions(options))).messageId,
    }));
  }

  sendMedia(
    chatId: number,
    kind: TgMediaKind,
    file: { data: Uint8Array; fileName: string; mime: string | null },
    caption: string | null,
    options?: SendOptions,
  ): Promise<{ messageId: number }> {
    return mapped(async () => {
      const sent = await this.client.sendMedia(chatId, kind, file.data, caption, {
        ...sendOptions(options),
        fileName: file.fileName,
        ...(file.mime ? { mime: file.mime } : {}),
      });
      return { messageId: sent.messageId };
    });
  }

  editMessageText(chatId: number, messageId: number, text: string, keyboard?: Keyboard): Promise<void> {
    const kb = keyboardOf(keyboard);
    return mapped(() => this.client.editText(chatId, messageId, text, kb ? { keyboard: kb } : {}));
  }

  editMessageCaption(chatId: number, messageId: number, caption: string): Promise<void> {
    return mapped(() => this.client.editCaption(chatId, messageId, caption));
  }

  setReaction(chatId: number, messageId: number, emoji: string): Promise<void> {
    return mapped(() => this.client.react(chatId, messageId, emoji));
  }

  createForumTopic(chatId: number, name: string): Promise<{ topicId: number }> {
    return mapped(async () => ({ topicId: await this.client.createTopic(chatId, name) }));
  }

  getChatMember(chatId: number, userId: number): Promise<TgChatMember> {
    return mapped(async () => {
      const member = await this.client.getChatMember(chatId, userId);
      return { status: member.status, can_manage_topics: member.canManageTopics };
    });
  }

  answerCallbackQuery(id: string, text?: string): Promise<void> {
    return mapped(() => this.client.answerCallback(id, text));
  }

  downloadFile(fileId: string): Promise<Uint8Array> {
    return mapped(async () => new Uint8Array(await this.client.downloadFile(fileId)));
  }
}
