// The TelegramClient adapter on node-telegram-bot-api 2.x. The library's own retries and rate
// limiter are off: pacing and retry decisions belong to igtg (pacer.ts, the outbox). Import this
// module lazily (only the bridge and `telegram setup` need it).
import { basename } from 'node:path';
import { Api, InputFile } from 'node-telegram-bot-api';
import { parseHttpUrl } from '../core/http-url.js';
import { classifyApiFailure, networkFailure, TelegramPermanent } from './errors.js';
import { truncateText } from './format.js';
import { mapLibraryError, redact } from './map-library-error.js';
import { mapUpdate } from './map-update.js';
import type {
  EditOptions,
  InlineKeyboard,
  SendMediaOptions,
  SendTextOptions,
  SentMessage,
  TelegramBotInfo,
  TelegramChatId,
  TelegramChatInfo,
  TelegramChatMember,
  TelegramClient,
  TelegramMediaKind,
} from './telegram-client.js';
import type { TelegramUpdate } from './telegram-update.js';
import type { WireMessage, WireUpdate } from './wire-types.js';

export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

/** The update types the bridge asks for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

/** Bots may download files up to 20 MB from the public Bot API server. */
const DEFAULT_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

export interface BotApiClientOptions {
  token: string;
  /** Bot API server; default `IGTG_TELEGRAM_API_URL` or https://api.telegram.org. */
  apiUrl?: string;
  /** Timeout of ordinary calls and uploads (long polls get their poll time plus 10 s). */
  timeoutMs?: number;
  maxDownloadBytes?: number;
}

/** The Bot API server to use; a value that is no http(s) URL is a usage error, not a server to wait for. */
export function telegramApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.IGTG_TELEGRAM_API_URL?.trim();
  if (!value) return DEFAULT_TELEGRAM_API_URL;
  parseHttpUrl('IGTG_TELEGRAM_API_URL', value);
  return value;
}

const DEFAULT_FILE_NAMES: Record<TelegramMediaKind, string> = {
  photo: 'photo.jpg',
  video: 'video.mp4',
  voice: 'voice.ogg',
  audio: 'audio.mp3',
  document: 'file.bin',
  animation: 'animation.mp4',
};

export class BotApiTelegramClient implements TelegramClient {
  private readonly api: Api;
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly maxDownloadBytes: number;

  constructor(options: BotApiClientOptions) {
    this.token = options.token;
    this.apiUrl = (options.apiUrl ?? telegramApiUrl()).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxDownloadBytes = options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
    this.api = new Api(options.token, { apiRoot: this.apiUrl, timeoutMs: this.timeoutMs, maxRetries: 0 });
  }

  async getMe(): Promise<TelegramBotInfo> {
    const me = await this.call('getMe', () => this.api.getMe());
    return { id: me.id, username: me.username ?? '', firstName: me.first_name };
  }

  async getUpdates(offset: number | null, timeoutSec: number, signal?: AbortSignal): Promise<TelegramUpdate[]> {
    const params = { offset: offset ?? undefined, timeout: timeoutSec, limit: 100, allowed_updates: ALLOWED_UPDATES };
    const updates = await this.call('getUpdates', () => this.api.getUpdates(params, signal), signal);
    return (updates as unknown as WireUpdate[]).map(mapUpdate);
  }

  async sendText(chatId: TelegramChatId, text: string, options: SendTextOptions = {}): Promise<SentMessage> {
    const message = await this.call('sendMessage', () =>
      this.api.sendMessage({
        chat_id: chatId,
        text,
        ...common(options),
        link_preview_options: { is_disabled: !options.linkPreview },
      }),
    );
    return sent(message as unknown as WireMessage);
  }

  async sendMedia(
    chatId: TelegramChatId,
    kind: TelegramMediaKind,
    file: Uint8Array | string,
    caption: string | null,
    options: SendMediaOptions = {},
  ): Promise<SentMessage> {
    const input = await inputFile(kind, file, options);
    const params = { chat_id: chatId, caption: caption ?? undefined, ...common(options) };
    const method = MEDIA_METHODS[kind];
    const message = await this.call(method, () => {
      switch (kind) {
        case 'photo':
          return this.api.sendPhoto({ ...params, photo: input });
        case 'video':
          return this.api.sendVideo({ ...params, video: input });
        case 'voice':
          return this.api.sendVoice({ ...params, voice: input });
        case 'audio':
          return this.api.sendAudio({ ...params, audio: input });
        case 'document':
          return this.api.sendDocument({ ...params, document: input });
        case 'animation':
          return this.api.sendAnimation({ ...params, animation: input });
      }
    });
    return sent(message as unknown as WireMessage);
  }

  async editText(chatId: TelegramChatId, messageId: number, text: string, options: EditOptions = {}): Promise<void> {
    await this.call('editMessageText', () =>
      this.api.editMessageText({
        chat_id: chatId,
        message_id: messageId,
        text,
        parse_mode: options.parseMode,
        reply_markup: replyMarkup(options.keyboard),
        link_preview_options: { is_disabled: true },
      }),
    );
  }

  async editCaption(
    chatId: TelegramChatId,
    messageId: number,
    caption: string,
    options: EditOptions = {},
  ): Promise<void> {
    await this.call('editMessageCaption', () =>
      this.api.editMessageCaption({
        chat_id: chatId,
        message_id: messageId,
        caption,
        parse_mode: options.parseMode,
        reply_markup: replyMarkup(options.keyboard),
      }),
    );
  }

  async react(chatId: TelegramChatId, messageId: number, emoji: string | null): Promise<void> {
    await this.call('setMessageReaction', () =>
      this.api.setMessageReaction({
        chat_id: chatId,
        message_id: messageId,
        reaction: emoji ? [{ type: 'emoji', emoji }] : [],
      }),
    );
  }

  async deleteMessage(chatId: TelegramChatId, messageId: number): Promise<void> {
    await this.call('deleteMessage', () => this.api.deleteMessage({ chat_id: chatId, message_id: messageId }));
  }

  async createTopic(chatId: TelegramChatId, name: string, options: { iconColor?: number } = {}): Promise<number> {
    const topic = await this.call('createForumTopic', () =>
      this.api.createForumTopic({
        chat_id: chatId,
        name: truncateText(name.trim() || '…', 128),
        icon_color: options.iconColor,
      }),
    );
    return topic.message_thread_id;
  }

  async answerCallback(callbackId: string, text?: string, options: { alert?: boolean } = {}): Promise<void> {
    await this.call('answerCallbackQuery', () =>
      this.api.answerCallbackQuery({
        callback_query_id: callbackId,
        text: text === undefined ? undefined : truncateText(text, 200),
        show_alert: options.alert,
      }),
    );
  }

  async getChat(chatId: TelegramChatId): Promise<TelegramChatInfo> {
    const chat = await this.call('getChat', () => this.api.getChat({ chat_id: chatId }));
    const title = chat.title ?? ([chat.first_name, chat.last_name].filter(Boolean).join(' ') || null);
    return { id: chat.id, type: chat.type, title, isForum: chat.is_forum === true };
  }

  async getChatMember(chatId: TelegramChatId, userId: number): Promise<TelegramChatMember> {
    const member = await this.call('getChatMember', () => this.api.getChatMember({ chat_id: chatId, user_id: userId }));
    return {
      status: member.status,
      canManageTopics: 'can_manage_topics' in member && member.can_manage_topics === true,
    };
  }

  async downloadFile(fileId: string): Promise<Buffer> {
    const file = await this.call('getFile', () => this.api.getFile({ file_id: fileId }));
    if (!file.file_path) {
      throw new TelegramPermanent({ method: 'getFile', errorCode: null, description: 'the file has no download path' });
    }
    if (file.file_size !== undefined && file.file_size > this.maxDownloadBytes) {
      throw new TelegramPermanent({ method: 'getFile', errorCode: null, description: 'file is too big' });
    }
    const method = 'file download';
    const url = `${this.apiUrl}/file/bot${this.token}/${file.file_path.split('/').map(encodeURIComponent).join('/')}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw networkFailure(method, redact(`network error (${errorName(error)})`, this.token));
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw classifyApiFailure({ method, errorCode: response.status, description: describeFailure(body, response) });
    }
    return this.readLimited(response, method);
  }

  private async readLimited(response: Response, method: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > this.maxDownloadBytes) {
          await response.body?.cancel();
          throw new TelegramPermanent({ method, errorCode: null, description: 'file is too big' });
        }
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      if (error instanceof TelegramPermanent) throw error;
      throw networkFailure(method, `download interrupted (${errorName(error)})`);
    }
    return Buffer.concat(chunks);
  }

  private async call<T>(method: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapLibraryError(method, error, this.token, signal);
    }
  }
}

const MEDIA_METHODS: Record<TelegramMediaKind, string> = {
  photo: 'sendPhoto',
  video: 'sendVideo',
  voice: 'sendVoice',
  audio: 'sendAudio',
  document: 'sendDocument',
  animation: 'sendAnimation',
};

function common(options: SendTextOptions | SendMediaOptions) {
  return {
    parse_mode: options.parseMode,
    message_thread_id: options.topicId,
    disable_notification: options.silent || undefined,
    reply_parameters:
      options.replyTo === undefined ? undefined : { message_id: options.replyTo, allow_sending_without_reply: true },
    reply_markup: replyMarkup(options.keyboard),
  };
}

function replyMarkup(keyboard: InlineKeyboard | undefined) {
  if (!keyboard) return undefined;
  return {
    inline_keyboard: keyboard.map((row) =>
      row.map((button) =>
        button.url !== undefined
          ? { text: button.text, url: button.url }
          : { text: button.text, callback_data: button.data ?? '' },
      ),
    ),
  };
}

async function inputFile(
  kind: TelegramMediaKind,
  file: Uint8Array | string,
  options: SendMediaOptions,
): Promise<InputFile> {
  const meta = { filename: options.fileName, contentType: options.mime };
  if (typeof file === 'string') {
    const { fromPath } = await import('node-telegram-bot-api/node');
    return fromPath(file, { ...meta, filename: meta.filename ?? basename(file) });
  }
  return new InputFile(file, { ...meta, filename: meta.filename ?? DEFAULT_FILE_NAMES[kind] });
}

function sent(message: WireMessage): SentMessage {
  const media =
    message.photo?.at(-1) ?? message.video ?? message.voice ?? message.audio ?? message.animation ?? message.document;
  return {
    chatId: message.chat.id,
    messageId: message.message_id,
    topicId: message.is_topic_message ? (message.message_thread_id ?? null) : null,
    sentAt: message.date * 1000,
    fileId: media?.file_id ?? null,
  };
}

function describeFailure(body: string, response: Response): string {
  try {
    const parsed = JSON.parse(body) as { description?: unknown };
    if (typeof parsed.description === 'string') return parsed.description;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : error.name;
  }
  return 'unknown';
}
