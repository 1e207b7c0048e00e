// In-memory implementations of the bridge's own ports, a manual clock and a temp SQLite store.
import type { Message, Thread } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/core/clock.js';
import { message as storeMessage } from '../store/fixtures.js';
import { tempSqliteStore } from '../store/temp-sqlite-store.js';
import {
  DeliveryError,
  type InstagramPollResult,
  type InstagramPort,
  type InstagramSessionState,
  type Keyboard,
  type SendOptions,
  type TelegramPort,
  type TgChatMember,
  type TgMediaKind,
  type TgUpdate,
  type TgUser,
} from '../../src/bridge/ports.js';

export class ManualClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  async sleep(_ms?: number, _signal?: AbortSignal): Promise<void> {}
}

export function seededRandom(seed = 42): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

export { apiThread as thread } from '../store/fixtures.js';

export const tempStore = () => tempSqliteStore('igtg-bridge-');

/** An API message from zoe (111), sent the id's digits in ms after the manual clock's start. */
export function message(threadId: string, id: string, fields: Partial<Message> = {}): Message {
  return storeMessage(threadId, id, {
    senderId: '111',
    senderName: 'zoe',
    sentAt: 1_700_000_000_000 + Number(id.replace(/\D/g, '') || 0),
    text: `hello ${id}`,
    source: 'api',
    ...fields,
  });
}

export interface SentToInstagram {
  threadId: string;
  text: string | null;
  photo: Uint8Array | null;
  clientContext: string;
}

/** An Instagram "server": poll stores the queued batches into the store, as the sync engine would. */
export class MemoryInstagram implements InstagramPort {
  readonly sent: SentToInstagram[] = [];
  pending: Array<{ threads: Thread[]; messages: Message[] }> = [];
  state: InstagramSessionState = 'ok';
  failSends = 0;
  /** Like failSends, for texts only (a photo's caption). */
  failTexts = 0;
  failPolls: Error | null = null;
  downloads: string[] = [];
  private nextItem = 1;

  constructor(private readonly store: Store) {}

  queue(threads: Thread[], messages: Message[]): void {
    this.pending.push({ threads, messages });
  }

  async poll(): Promise<InstagramPollResult> {
    if (this.failPolls) throw this.failPolls;
    const added: string[] = [];
    for (const batch of this.pending.splice(0)) {
      const result = await this.store.write({ threads: batch.threads, messages: batch.messages });
      added.push(...result.addedMessageIds);
    }
    return { requests: 1, addedMessageIds: added };
  }

  private async send(threadId: string, text: string | null, photo: Uint8Array | null, clientContext: string) {
    if (this.failSends > 0) {
      this.failSends -= 1;
      throw new DeliveryError('instagram is down');
    }
    this.sent.push({ threadId, text, photo, clientContext });
    return { itemId: `sent${this.nextItem++}` };
  }

  sendText(threadId: string, text: string, clientContext: string) {
    if (this.failTexts > 0) {
      this.failTexts -= 1;
      return Promise.reject(new DeliveryError('instagram is down'));
    }
    return this.send(threadId, text, null, clientContext);
  }

  sendPhoto(threadId: string, photo: Uint8Array, clientContext: string) {
    return this.send(threadId, null, photo, clientContext);
  }

  async download(url: string) {
    this.downloads.push(url);
    return { data: new Uint8Array([1, 2, 3]), mime: 'image/jpeg' };
  }

  sessionState(): InstagramSessionState {
    return this.state;
  }
}

export interface TgCall {
  method: string;
  chatId?: number;
  text?: string;
  options?: SendOptions;
  messageId?: number;
  kind?: TgMediaKind;
  caption?: string | null;
  keyboard?: Keyboard;
}

export class MemoryTelegram implements TelegramPort {
  readonly calls: TgCall[] = [];
  updates: TgUpdate[] = [];
  /** Offsets getUpdates was called with. */
  readonly offsets: number[] = [];
  failNext: DeliveryError[] = [];
  /** The bot's membership by chat (getChatMember); unset: an admin that may manage topics. */
  readonly botMember = new Map<number, TgChatMember>();
  private nextMessageId = 1000;
  private nextTopic = 70;

  private maybeFail(): void {
    const failure = this.failNext.shift();
    if (failure) throw failure;
  }

  sent(): TgCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' || c.method === 'sendMedia');
  }

  async getMe(): Promise<TgUser> {
    return { id: 999, is_bot: true, username: 'igtg_bot' };
  }

  async getUpdates(offset: number): Promise<TgUpdate[]> {
    this.offsets.push(offset);
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    return [...this.updates];
  }

  async sendMessage(chatId: number, text: string, options: SendOptions = {}) {
    this.maybeFail();
    const messageId = this.nextMessageId++;
    this.calls.push({ method: 'sendMessage', chatId, text, options, messageId, keyboard: options.keyboard });
    return { messageId };
  }

  async sendMedia(
    chatId: number,
    kind: TgMediaKind,
    _file: unknown,
    caption: string | null,
    options: SendOptions = {},
  ) {
    this.maybeFail();
    const messageId = this.nextMessageId++;
    this.calls.push({ method: 'sendMedia', chatId, kind, caption, options, messageId });
    return { messageId };
  }

  async editMessageText(chatId: number, messageId: number, text: string, keyboard?: Keyboard) {
    this.maybeFail();
    this.calls.push({ method: 'editMessageText', chatId, messageId, text, keyboard });
  }

  async editMessageCaption(chatId: number, messageId: number, caption: string) {
    this.calls.push({ method: 'editMessageCaption', chatId, messageId, caption });
  }

  async setReaction(chatId: number, messageId: number, emoji: string) {
    this.calls.push({ method: 'setReaction', chatId, messageId, text: emoji });
  }

  async createForumTopic(chatId: number, name: string) {
    const topicId = this.nextTopic++;
    this.calls.push({ method: 'createForumTopic', chatId, text: name, messageId: topicId });
    return { topicId };
  }

  async getChatMember(chatId: number, userId: number): Promise<TgChatMember> {
    this.calls.push({ method: 'getChatMember', chatId, text: String(userId) });
    if (userId !== (await this.getMe()).id) return { status: 'member' };
    return this.botMember.get(chatId) ?? { status: 'administrator', can_manage_topics: true };
  }

  async answerCallbackQuery(id: string, text?: string) {
    this.calls.push({ method: 'answerCallbackQuery', text: `${id}:${text ?? ''}` });
  }

  async downloadFile(fileId: string) {
    this.calls.push({ method: 'downloadFile', text: fileId });
    return new Uint8Array([9, 9]);
  }
}

export const OWNER = 126919740;

let updateId = 500;
export function ownerText(text: string, fields: Record<string, unknown> = {}, from = OWNER): TgUpdate {
  updateId += 1;
  return {
    update_id: updateId,
    message: {
      message_id: updateId * 10,
      from: { id: from, first_name: 'Alex' },
      chat: { id: from, type: 'private' },
      date: 1_700_000_000,
      text,
      ...fields,
    },
  };
}

export function callback(data: string, messageId = 42, from = OWNER): TgUpdate {
  updateId += 1;
  return {
    update_id: updateId,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: from },
      data,
      message: { message_id: messageId, chat: { id: from, type: 'private' }, date: 1_700_000_000 },
    },
  };
}
