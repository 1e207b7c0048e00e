// What the fake Telegram knows: users, chats, messages, topics, files, queued updates, and the
// failures a test programmed. Tests inject what users do through it and inspect what the bot sent.
import { randomBytes } from 'node:crypto';
import { FakeApiError } from './api-error.js';
import type { UploadedFile } from './multipart.js';
import { UpdateQueue, type WireUpdateObject } from './update-queue.js';

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: boolean;
}

export type FakeMessageKind = 'text' | 'photo' | 'video' | 'voice' | 'audio' | 'document' | 'animation' | 'service';

export interface FakeMessage {
  chatId: number;
  messageId: number;
  fromBot: boolean;
  /** The Message object as Telegram returns it (kept current on edits). */
  wire: Record<string, unknown>;
  kind: FakeMessageKind;
  /** Visible text after entity parsing. */
  text: string | null;
  /** Text exactly as the bot sent it (HTML before parsing). */
  rawText: string | null;
  caption: string | null;
  rawCaption: string | null;
  parseMode: string | null;
  topicId: number | null;
  replyToMessageId: number | null;
  keyboard: unknown;
  /** The uploaded file (bytes as received) of a media message. */
  upload: UploadedFile | null;
  fileId: string | null;
  /** The bot's reactions on this message. */
  reactions: string[];
  deleted: boolean;
  editCount: number;
}

export interface FakeFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  /** Reported size (may be set larger than the bytes to test the 20 MB limit). */
  file_size: number;
}

export interface FakeCallbackQuery {
  id: string;
  fromId: number;
  chatId: number;
  messageId: number;
  data: string;
  answered: boolean;
  answer: { text?: string; show_alert?: boolean } | null;
}

export interface ProgrammedFailure {
  /** Method name (case-insensitive) or `*`. */
  method: string;
  error: FakeApiError | 'disconnect';
  remaining: number;
}

export interface RateLimitRules {
  /** Minimum gap between two sends to one chat (Telegram: about 1000 ms). */
  perChatIntervalMs?: number;
  /** Sends to one group per minute (Telegram: 20). */
  perGroupPerMinute?: number;
}

interface ChatRecord {
  chat: FakeChat;
  botIsAdmin: boolean;
  /** The admin right createForumTopic needs (only meaningful while botIsAdmin). */
  botCanManageTopics: boolean;
  blocked: boolean;
  nextMessageId: number;
  messages: Map<number, FakeMessage>;
  topics: Map<number, { name: string; icon_color: number }>;
  sendTimes: number[];
}

export const DEFAULT_BOT: FakeUser = {
  id: 5338281118,
  is_bot: true,
  first_name: 'IG Import Bot',
  username: 'ig_import_bot',
};
export const DEFAULT_OWNER: FakeUser = {
  id: 126919740,
  is_bot: false,
  first_name: 'Alex',
  last_name: 'Kim',
  username: 'alexkim',
  language_code: 'en',
};

export interface UserMessageInput {
  /** Sender (a user id added with addUser); default the owner. */
  from?: number;
  /** Default: the private chat with the sender. */
  chatId?: number;
  text?: string;
  caption?: string;
  /** Message id in the same chat being replied to. */
  replyTo?: number;
  /** Forum topic the message is sent in. */
  topicId?: number;
  photo?: Uint8Array;
  document?: { bytes: Uint8Array; fileName: string; mimeType?: string };
}

export class FakeTelegramState {
  readonly bot: FakeUser;
  readonly owner: FakeUser;
  readonly failures: ProgrammedFailure[] = [];
  rateLimits: RateLimitRules;
  readonly updates: UpdateQueue;
  private readonly users = new Map<number, FakeUser>();
  private readonly chats = new Map<number, ChatRecord>();
  private readonly files = new Map<string, FakeFile>();
  private readonly filesByPath = new Map<string, FakeFile>();
  private readonly callbacks = new Map<string, FakeCallbackQuery>();
  private fileCounter = 0;

  constructor(
    options: {
      bot?: Partial<FakeUser>;
      firstUpdateId?: number;
      maxPollTimeoutSec?: number;
      rateLimits?: RateLimitRules;
    } = {},
  ) {
    this.bot = { ...DEFAULT_BOT, ...options.bot, is_bot: true };
    this.rateLimits = options.rateLimits ?? {};
    this.updates = new UpdateQueue(options.firstUpdateId ?? 713898605, options.maxPollTimeoutSec ?? 50);
    this.owner = this.addUser(DEFAULT_OWNER);
  }

  // --- set-up -------------------------------------------------------------------------------

  /** Adds a user and their private chat with the bot. */
  addUser(user: Partial<FakeUser> & { id: number }): FakeUser {
    const full: FakeUser = { is_bot: false, first_name: `User ${user.id}`, ...user };
    this.users.set(full.id, full);
    if (!this.chats.has(full.id)) {
      const chat: FakeChat = { id: full.id, type: 'private', first_name: full.first_name };
      if (full.last_name) chat.last_name = full.last_name;
      if (full.username) chat.username = full.username;
      this.addChat(chat);
    }
    return full;
  }

  addChat(chat: FakeChat, options: { botIsAdmin?: boolean; botCanManageTopics?: boolean } = {}): FakeChat {
    this.chats.set(chat.id, {
      chat,
      botIsAdmin: options.botIsAdmin ?? true,
      botCanManageTopics: options.botCanManageTopics ?? true,
      blocked: false,
      nextMessageId: 1,
      messages: new Map(),
      topics: new Map(),
      sendTimes: [],
    });
    return chat;
  }

  /** A forum supergroup (topics enabled) with the bot as admin, owned by the owner. */
  addForum(
    options: { id?: number; title?: string; botIsAdmin?: boolean; botCanManageTopics?: boolean } = {},
  ): FakeChat {
    const chat: FakeChat = {
      id: options.id ?? -1001134449138,
      title: options.title ?? 'IG archive',
      is_forum: true,
      type: 'supergroup',
    };
    return this.addChat(chat, {
      botIsAdmin: options.botIsAdmin ?? true,
      botCanManageTopics: options.botCanManageTopics ?? true,
    });
  }

  /** The owner changes the bot's rights in a group: a my_chat_member update arrives, as from Telegram. */
  setBotRights(chatId: number, rights: { admin: boolean; canManageTopics?: boolean }): void {
    const record = this.record(chatId);
    const before = this.memberOf(record, this.bot.id);
    record.botIsAdmin = rights.admin;
    record.botCanManageTopics = rights.canManageTopics ?? rights.admin;
    this.updates.push('my_chat_member', {
      chat: record.chat,
      from: this.owner,
      date: nowSec(),
      old_chat_member: before,
      new_chat_member: this.memberOf(record, this.bot.id),
    });
  }

  /** Creates a topic as if the bot (or a user) did; returns its id, the creation message's id. */
  createTopic(chatId: number, name: string, iconColor = 7322096, by: FakeUser = this.bot): number {
    const record = this.record(chatId);
    const messageId = record.nextMessageId++;
    const wire: Record<string, unknown> = {
      message_id: messageId,
      message_thread_id: messageId,
      from: by,
      chat: record.chat,
      date: nowSec(),
      is_topic_message: true,
      forum_topic_created: { name, icon_color: iconColor },
    };
    record.topics.set(messageId, { name, icon_color: iconColor });
    record.messages.set(messageId, baseMessage(chatId, messageId, by.is_bot, wire, 'service', messageId));
    return messageId;
  }

  /** The user blocks the bot: sends to them fail with 403 and a my_chat_member update arrives. */
  blockBot(userId: number): void {
    this.setBlocked(userId, true);
  }

  /** The user unblocks the bot (restarts it): sends work again and a my_chat_member update arrives. */
  unblockBot(userId: number): void {
    this.setBlocked(userId, false);
  }

  private setBlocked(userId: number, blocked: boolean): void {
    const record = this.record(userId);
    record.blocked = blocked;
    const from = this.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
    const member = { user: this.bot, status: 'member' };
    const kicked = { user: this.bot, status: 'kicked', until_date: 0 };
    this.updates.push('my_chat_member', {
      chat: record.chat,
      from,
      date: nowSec(),
      old_chat_member: blocked ? member : kicked,
      new_chat_member: blocked ? kicked : member,
    });
  }

  /** The next `count` calls of `method` (or `*`) fail with `error` (or drop the connection). */
  failNext(method: string, error: FakeApiError | 'disconnect', count = 1): void {
    this.failures.push({ method: method.toLowerCase(), error, remaining: count });
  }

  /** Registers a file servable by getFile and the download route; returns its file_id. */
  addFile(
    bytes: Uint8Array,
    options: { dir?: string; ext?: string; reportedSize?: number; prefix?: string } = {},
  ): FakeFile {
    const n = ++this.fileCounter;
    const file: FakeFile = {
      file_id: `${options.prefix ?? 'BQACAgIAAxkBAA'}${randomBytes(24).toString('base64url')}`,
      file_unique_id: `AQAD${randomBytes(8).toString('base64url')}`,
      file_path: `${options.dir ?? 'documents'}/file_${n}${options.ext ?? ''}`,
      bytes: Buffer.from(bytes),
      file_size: options.reportedSize ?? bytes.length,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  // --- what users do --------------------------------------------------------------------------

  /** A user sends a message; queues the `message` update and returns it. */
  userSends(input: UserMessageInput): { update: WireUpdateObject; message: FakeMessage } {
    const from = this.user(input.from ?? this.owner.id);
    const chatId = input.chatId ?? from.id;
    const record = this.record(chatId);
    const messageId = record.nextMessageId++;
    const wire: Record<string, unknown> = { message_id: messageId, from, chat: record.chat, date: nowSec() };
    let kind: FakeMessageKind = 'text';
    if (input.topicId !== undefined) {
      if (!record.topics.has(input.topicId)) throw new Error(`fake: no topic ${input.topicId} in chat ${chatId}`);
      wire.message_thread_id = input.topicId;
      wire.is_topic_message = true;
    }
    const replyId = input.replyTo ?? input.topicId;
    if (replyId !== undefined) {
      const target = record.messages.get(replyId);
      if (!target) throw new Error(`fake: no message ${replyId} in chat ${chatId} to reply to`);
      wire.reply_to_message = replyCopy(target.wire);
    }
    if (input.text !== undefined) {
      wire.text = input.text;
      const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(input.text);
      if (command) wire.entities = [{ offset: 0, length: command[0].length, type: 'bot_command' }];
    }
    if (input.photo) {
      kind = 'photo';
      wire.photo = this.photoSizes(input.photo);
    }
    if (input.document) {
      kind = 'document';
      const file = this.addFile(input.document.bytes, { ext: extensionOf(input.document.fileName) });
      wire.document = {
        file_name: input.document.fileName,
        mime_type: input.document.mimeType ?? 'application/octet-stream',
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.file_size,
      };
    }
    if (input.caption !== undefined) wire.caption = input.caption;
    const message = baseMessage(chatId, messageId, false, wire, kind, input.topicId ?? null);
    message.text = input.text ?? null;
    message.caption = input.caption ?? null;
    message.replyToMessageId = input.replyTo ?? null;
    record.messages.set(messageId, message);
    return { update: this.updates.push('message', wire), message };
  }

  /** A user edits one of their messages; queues `edited_message`. */
  userEdits(chatId: number, messageId: number, text: string): WireUpdateObject {
    const message = this.record(chatId).messages.get(messageId);
    if (!message || message.fromBot) throw new Error(`fake: no user message ${messageId} in chat ${chatId}`);
    message.text = text;
    message.wire.text = text;
    message.wire.edit_date = nowSec();
    message.editCount += 1;
    return this.updates.push('edited_message', { ...message.wire });
  }

  /** A user presses an inline button; queues the `callback_query` and returns its id. */
  userClicks(input: { from?: number; chatId?: number; messageId: number; data: string }): string {
    const from = this.user(input.from ?? this.owner.id);
    const chatId = input.chatId ?? from.id;
    const message = this.record(chatId).messages.get(input.messageId);
    if (!message) throw new Error(`fake: no message ${input.messageId} in chat ${chatId}`);
    const id = String(1874464818486990916n + BigInt(this.callbacks.size));
    this.callbacks.set(id, {
      id,
      fromId: from.id,
      chatId,
      messageId: input.messageId,
      data: input.data,
      answered: false,
      answer: null,
    });
    this.updates.push('callback_query', {
      id,
      from,
      message: message.wire,
      chat_instance: String(56656092177350901239n + BigInt(Math.abs(chatId))),
      data: input.data,
    });
    return id;
  }

  // --- inspection ---------------------------------------------------------------------------

  /** Messages the bot sent, oldest first (in one chat, or everywhere). */
  sent(chatId?: number): FakeMessage[] {
    return this.allMessages(chatId).filter((m) => m.fromBot && m.kind !== 'service');
  }

  /** Every message in a chat (users' and the bot's), oldest first. */
  messages(chatId: number): FakeMessage[] {
    return this.allMessages(chatId);
  }

  message(chatId: number, messageId: number): FakeMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  topics(chatId: number): Map<number, { name: string; icon_color: number }> {
    return this.record(chatId).topics;
  }

  callback(id: string): FakeCallbackQuery | undefined {
    return this.callbacks.get(id);
  }

  file(fileId: string): FakeFile | undefined {
    return this.files.get(fileId);
  }

  fileByPath(path: string): FakeFile | undefined {
    return this.filesByPath.get(path);
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): WireUpdateObject[] {
    return this.updates.pending();
  }

  // --- for the method handlers --------------------------------------------------------------

  /**
   * A ChatMember object: the bot is an administrator or a member as set up, the owner created every
   * group (and is a member of the private chat); other users are members. Undefined for an unknown user.
   */
  memberOf(record: ChatRecord, userId: number): Record<string, unknown> | undefined {
    if (userId === this.bot.id) {
      if (!record.botIsAdmin) return { status: 'member', user: this.bot };
      return {
        status: 'administrator',
        user: this.bot,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        ...(record.chat.type === 'supergroup' ? { can_manage_topics: record.botCanManageTopics } : {}),
      };
    }
    const user = this.users.get(userId);
    if (!user) return undefined;
    if (userId === this.owner.id && record.chat.type !== 'private') {
      return { status: 'creator', user, is_anonymous: false };
    }
    return { status: 'member', user };
  }

  findChat(id: number | string): ChatRecord | undefined {
    if (typeof id === 'number') return this.chats.get(id);
    const username = id.slice(1).toLowerCase();
    return [...this.chats.values()].find((r) => r.chat.username?.toLowerCase() === username);
  }

  /** Stores a message the bot sent and returns it. */
  storeBotMessage(record: ChatRecord, build: (messageId: number) => FakeMessage): FakeMessage {
    const message = build(record.nextMessageId++);
    record.messages.set(message.messageId, message);
    return message;
  }

  photoSizes(bytes: Uint8Array): Record<string, unknown>[] {
    const file = this.addFile(bytes, { dir: 'photos', ext: '.jpg', prefix: 'AgACAgIAAxkBAA' });
    const thumb = this.addFile(bytes, { dir: 'photos', ext: '.jpg', prefix: 'AgACAgIAAxkBAA' });
    return [
      {
        file_id: thumb.file_id,
        file_unique_id: thumb.file_unique_id,
        file_size: thumb.file_size,
        width: 90,
        height: 67,
      },
      {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.file_size,
        width: 1280,
        height: 960,
      },
    ];
  }

  private record(chatId: number): ChatRecord {
    const record = this.chats.get(chatId);
    if (!record) throw new Error(`fake: no chat ${chatId} (add it with addUser/addChat/addForum)`);
    return record;
  }

  private user(id: number): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake: no user ${id} (add it with addUser)`);
    return user;
  }

  private allMessages(chatId?: number): FakeMessage[] {
    const records = chatId === undefined ? [...this.chats.values()] : [this.record(chatId)];
    return records.flatMap((r) => [...r.messages.values()]);
  }
}

export type { ChatRecord };

export function baseMessage(
  chatId: number,
  messageId: number,
  fromBot: boolean,
  wire: Record<string, unknown>,
  kind: FakeMessageKind,
  topicId: number | null,
): FakeMessage {
  return {
    chatId,
    messageId,
    fromBot,
    wire,
    kind,
    text: null,
    rawText: null,
    caption: null,
    rawCaption: null,
    parseMode: null,
    topicId,
    replyToMessageId: null,
    keyboard: null,
    upload: null,
    fileId: null,
    reactions: [],
    deleted: false,
    editCount: 0,
  };
}

/** A message as it appears inside reply_to_message: without its own reply. */
export function replyCopy(wire: Record<string, unknown>): Record<string, unknown> {
  const { reply_to_message: _nested, ...rest } = wire;
  return rest;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function extensionOf(name: string): string {
  const match = /\.[A-Za-z0-9]{1,8}$/.exec(name);
  return match ? match[0] : '';
}
