// What the bridge needs from each network, and nothing more. Adapters in adapters/ implement these
// on top of the Instagram and Telegram modules; unit tests implement them in memory.

/** What one Instagram poll did. New items are already stored (the sync engine writes them). */
export interface InstagramPollResult {
  /** Requests made to Instagram during the poll (for pacing the schedule). */
  requests: number;
  /** Message ids added to the store by this poll. */
  addedMessageIds: string[];
}

export type InstagramSessionState = 'ok' | 'logged_out' | 'needs_code' | 'unknown';

export interface InstagramSendResult {
  /** The item id Instagram gave the sent message, when it said. */
  itemId: string | null;
}

export interface DownloadedMedia {
  data: Uint8Array;
  mime: string | null;
}

export interface InstagramPort {
  /** Fetches what is new since the stored sync state and stores it; cursors advance only after storing. */
  poll(signal?: AbortSignal): Promise<InstagramPollResult>;
  sendText(threadId: string, text: string, clientContext: string): Promise<InstagramSendResult>;
  sendPhoto(threadId: string, photo: Uint8Array, clientContext: string): Promise<InstagramSendResult>;
  download(url: string): Promise<DownloadedMedia>;
  sessionState(): InstagramSessionState;
  /** Passes a two-factor or challenge code typed by the owner; absent when the client cannot take one. */
  submitCode?(code: string): Promise<void>;
}

// --- Telegram ---

export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  username?: string;
}

export interface TgChat {
  id: number;
  type: string;
  title?: string;
  is_forum?: boolean;
}

/** The parts of Telegram's ChatMember the bridge reads. */
export interface TgChatMember {
  status: string;
  can_manage_topics?: boolean;
}

export interface TgPhotoSize {
  file_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface TgMessage {
  message_id: number;
  message_thread_id?: number;
  is_topic_message?: boolean;
  from?: TgUser;
  chat: TgChat;
  date: number;
  text?: string;
  caption?: string;
  photo?: TgPhotoSize[];
  document?: { file_id: string; mime_type?: string; file_name?: string };
  reply_to_message?: TgMessage;
  forum_topic_created?: unknown;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  data?: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  callback_query?: TgCallbackQuery;
  my_chat_member?: unknown;
}

export interface InlineButton {
  text: string;
  /** At most 64 bytes. */
  data: string;
}

export type Keyboard = InlineButton[][];

export interface SendOptions {
  topicId?: number;
  replyTo?: number;
  keyboard?: Keyboard;
  silent?: boolean;
}

export type TgMediaKind = 'photo' | 'video' | 'voice' | 'animation' | 'document';

export interface TelegramPort {
  getMe(): Promise<TgUser>;
  /** Long-polls for updates with id >= offset; calling it with a higher offset confirms the earlier ones. */
  getUpdates(offset: number, timeoutSeconds: number, signal?: AbortSignal): Promise<TgUpdate[]>;
  sendMessage(chatId: number, text: string, options?: SendOptions): Promise<{ messageId: number }>;
  sendMedia(
    chatId: number,
    kind: TgMediaKind,
    file: { data: Uint8Array; fileName: string; mime: string | null },
    caption: string | null,
    options?: SendOptions,
  ): Promise<{ messageId: number }>;
  editMessageText(chatId: number, messageId: number, text: string, keyboard?: Keyboard): Promise<void>;
  /** Edits the caption of a media message. */
  editMessageCaption(chatId: number, messageId: number, caption: string): Promise<void>;
  setReaction(chatId: number, messageId: number, emoji: string): Promise<void>;
  createForumTopic(chatId: number, name: string): Promise<{ topicId: number }>;
  getChatMember(chatId: number, userId: number): Promise<TgChatMember>;
  answerCallbackQuery(id: string, text?: string): Promise<void>;
  downloadFile(fileId: string): Promise<Uint8Array>;
}

/**
 * A failed call to either network, as adapters report it. `retryAfterMs` is a wait the server
 * asked for (Telegram 429); `permanent` means retrying cannot help (400 bad request); `transient`
 * means the service or the way to it failed (no answer, 5xx, a session waiting for the owner), which
 * says nothing against the message.
 */
export class DeliveryError extends Error {
  readonly retryAfterMs: number | null;
  readonly permanent: boolean;
  readonly transient: boolean;
  readonly code: number | null;
  constructor(
    message: string,
    options: {
      retryAfterMs?: number | null;
      permanent?: boolean;
      transient?: boolean;
      code?: number | null;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.permanent = options.permanent ?? false;
    this.transient = options.transient ?? false;
    this.code = options.code ?? null;
  }
}

/** Instagram said the session is no longer valid (login_required, 401/403 on every call). */
export class SessionExpiredError extends Error {
  constructor(message = 'Instagram session expired') {
    super(message);
    this.name = 'SessionExpiredError';
  }
}
