// A TelegramClient that paces everything that posts into a chat and obeys 429s: a RateLimited
// failure is rethrown (the caller's outbox decides when to retry) and the next call to that chat
// waits retry_after. Reads (getUpdates, getChat, getChatMember, getFile, downloads, callbacks) are not paced.
import { AsyncLocalStorage } from 'node:async_hooks';
import { TelegramRateLimited } from './errors.js';
import type { AcquireOptions, Pacer } from './pacer.js';
import type {
  EditOptions,
  SendMediaOptions,
  SendTextOptions,
  TelegramChatId,
  TelegramClient,
  TelegramMediaKind,
} from './telegram-client.js';

const waitLimits = new AsyncLocalStorage<AcquireOptions>();

/**
 * Runs `work` with a bound on how long each of its sends may wait for a chat's flood limit, and a
 * stop that ends such a wait. Ambient rather than an argument: the bridge reaches this client through
 * ports that know nothing of pacing, while one caller (answering an update) must not wait as the
 * outbox does.
 */
export function withFloodWaitLimits<T>(limits: AcquireOptions, work: () => Promise<T>): Promise<T> {
  return waitLimits.run(limits, work);
}

export class PacedTelegramClient implements TelegramClient {
  constructor(
    private readonly inner: TelegramClient,
    readonly pacer: Pacer,
  ) {}

  getMe(): ReturnType<TelegramClient['getMe']> {
    return this.inner.getMe();
  }

  getUpdates(
    offset: number | null,
    timeoutSec: number,
    signal?: AbortSignal,
  ): ReturnType<TelegramClient['getUpdates']> {
    return this.inner.getUpdates(offset, timeoutSec, signal);
  }

  sendText(chatId: TelegramChatId, text: string, options?: SendTextOptions): ReturnType<TelegramClient['sendText']> {
    return this.paced(chatId, () => this.inner.sendText(chatId, text, options));
  }

  sendMedia(
    chatId: TelegramChatId,
    kind: TelegramMediaKind,
    file: Uint8Array | string,
    caption: string | null,
    options?: SendMediaOptions,
  ): ReturnType<TelegramClient['sendMedia']> {
    return this.paced(chatId, () => this.inner.sendMedia(chatId, kind, file, caption, options));
  }

  editText(chatId: TelegramChatId, messageId: number, text: string, options?: EditOptions): Promise<void> {
    return this.paced(chatId, () => this.inner.editText(chatId, messageId, text, options));
  }

  editCaption(chatId: TelegramChatId, messageId: number, caption: string, options?: EditOptions): Promise<void> {
    return this.paced(chatId, () => this.inner.editCaption(chatId, messageId, caption, options));
  }

  react(chatId: TelegramChatId, messageId: number, emoji: string | null): Promise<void> {
    return this.paced(chatId, () => this.inner.react(chatId, messageId, emoji));
  }

  deleteMessage(chatId: TelegramChatId, messageId: number): Promise<void> {
    return this.paced(chatId, () => this.inner.deleteMessage(chatId, messageId));
  }

  createTopic(chatId: TelegramChatId, name: string, options?: { iconColor?: number }): Promise<number> {
    return this.paced(chatId, () => this.inner.createTopic(chatId, name, options));
  }

  answerCallback(callbackId: string, text?: string, options?: { alert?: boolean }): Promise<void> {
    return this.inner.answerCallback(callbackId, text, options);
  }

  getChat(chatId: TelegramChatId): ReturnType<TelegramClient['getChat']> {
    return this.inner.getChat(chatId);
  }

  getChatMember(chatId: TelegramChatId, userId: number): ReturnType<TelegramClient['getChatMember']> {
    return this.inner.getChatMember(chatId, userId);
  }

  downloadFile(fileId: string): Promise<Buffer> {
    return this.inner.downloadFile(fileId);
  }

  private async paced<T>(chatId: TelegramChatId, call: () => Promise<T>): Promise<T> {
    await this.pacer.acquire(chatId, waitLimits.getStore());
    try {
      return await call();
    } catch (error) {
      if (error instanceof TelegramRateLimited) this.pacer.penalize(chatId, error.retryAfterMs);
      throw error;
    } finally {
      this.pacer.sent(chatId);
    }
  }
}
