// Telegram → bridge: one update at a time, in update_id order. Only the owner is served; a stranger
// gets one "private bot" reply and then silence, and every attempt is audited. The caller confirms
// the update (advances the offset) only after handle() returned, i.e. after its effects are stored.
import type { Store } from '../../store/store.js';
import type { Clock, Random } from '../../core/clock.js';
import { StoreError, errorMessage } from '../../core/errors.js';
import { withFloodWaitLimits } from '../../telegram/paced-client.js';
import {
  DeliveryError,
  type InstagramPort,
  type Keyboard,
  type TelegramPort,
  type TgCallbackQuery,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from '../ports.js';
import { newClientContext } from './client-context.js';
import type { BridgeControls, CommandContext } from './command-context.js';
import { COMMANDS, handleButton, parseCommand, type ParsedCommand } from './commands/index.js';
import { forumCommand } from './forum-mode.js';
import type { BridgeOptionsPort } from './options.js';
import { instagramKey, threadLane, type ToInstagramPayload } from './payloads.js';
import { BridgeMeta } from './state-keys.js';
import { truncate } from './split-text.js';
import { isArchiveOnly } from './commands/threads.js';

/** Telegram refuses an edit that changes nothing; the message already shows what the edit would. */
function isNotModified(error: unknown): boolean {
  return error instanceof DeliveryError && error.code === 400 && /message is not modified/i.test(error.message);
}

export const PRIVATE_BOT_REPLY = 'This is a private bot.';

/** Shown on a button whose handling failed (the failure itself is logged). */
export const BUTTON_FAILED_NOTE = '⚠ That did not work; try again.';

export const EDIT_NOTICE =
  '✏️ Edits do not reach Instagram (it has no edit for messages): send the new text as a new message.';

/** How often, and how long at most each time, a command's answer waits out Telegram's flood limit. */
const COMMAND_SEND_ATTEMPTS = 4;
const COMMAND_MAX_WAIT_MS = 30_000;

export interface UpdateHandlerDeps {
  /** The bot's id (getMe): it scopes the outbox keys of the owner's messages. */
  botId?: number;
  /** The bot's username (getMe); asked of Telegram once, when first needed, if not given. */
  botUsername?: string;
  store: Store;
  telegram: TelegramPort;
  instagram: InstagramPort;
  options: BridgeOptionsPort;
  clock: Clock;
  random: Random;
  controls: BridgeControls;
  log: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
  /** Called when the owner sent something to Instagram (the poll loop speeds up). */
  onActivity?: () => void;
}

/** The parts of Telegram's ChatMemberUpdated the bridge reads. */
interface TgChatMemberUpdated {
  from?: { id: number };
  new_chat_member?: { status?: string };
}

function userOf(update: TgUpdate): TgUser | null {
  return update.message?.from ?? update.edited_message?.from ?? update.callback_query?.from ?? null;
}

export interface HandleOptions {
  /** A stop: cuts a wait for Telegram's flood limit short. */
  stopping?: AbortSignal;
  /** A StoreError leaves this update unconfirmed, to be handled again: a button press is not "failed" yet. */
  storeErrorRetried?: boolean;
}

export class UpdateHandler {
  constructor(private readonly deps: UpdateHandlerDeps) {}

  /** Set while an update is handled: a stop cuts a wait for Telegram's flood limit short. */
  private stopping: AbortSignal | undefined;
  private storeErrorRetried = false;
  private username: Promise<string> | undefined;

  /**
   * Every Telegram send made while handling waits at most COMMAND_MAX_WAIT_MS for the chat's flood
   * limit, and a stop ends the wait: the updates after this one must not queue behind the chat.
   */
  async handle(update: TgUpdate, options: HandleOptions = {}): Promise<void> {
    this.stopping = options.stopping;
    this.storeErrorRetried = options.storeErrorRetried ?? false;
    const limits = { signal: options.stopping, maxWaitMs: COMMAND_MAX_WAIT_MS };
    return withFloodWaitLimits(limits, () => this.dispatch(update));
  }

  private async dispatch(update: TgUpdate): Promise<void> {
    if (update.my_chat_member) return this.membership(update.my_chat_member as TgChatMemberUpdated);
    const user = userOf(update);
    if (!user || user.is_bot) return;
    const { ownerId } = this.deps.options.get();
    if (ownerId === null) {
      await this.tryPairing(user, update.message ?? null);
      return;
    }
    if (user.id !== ownerId) {
      await this.stranger(user, update);
      return;
    }
    if (update.callback_query) return this.button(update.callback_query);
    if (update.message) return this.message(update.message);
    if (update.edited_message) return this.edited(update.edited_message);
  }

  /** Instagram has no edit for DMs: the owner is told, rather than left to think the edit went. */
  private async edited(message: TgMessage): Promise<void> {
    const forumChatId = this.deps.options.get().forumChatId;
    if (message.chat.type !== 'private' && message.chat.id !== forumChatId) return;
    if (message.text && parseCommand(message.text)) return;
    const topicId = message.is_topic_message ? message.message_thread_id : undefined;
    await this.patiently(() =>
      this.deps.telegram.sendMessage(message.chat.id, EDIT_NOTICE, {
        replyTo: message.message_id,
        ...(topicId !== undefined ? { topicId } : {}),
      }),
    );
  }

  private async tryPairing(user: TgUser, message: TgMessage | null): Promise<void> {
    const code = await this.deps.store.getMeta(BridgeMeta.pairingCode);
    const command = message?.text ? parseCommand(message.text) : null;
    const now = this.deps.clock.now();
    if (code && command?.name === 'start' && command.args === code && message?.chat.type === 'private') {
      this.deps.options.update({ ownerId: user.id });
      await this.deps.store.setMeta(BridgeMeta.pairingCode, null);
      await this.deps.store.audit({ at: now, actor: `telegram:${user.id}`, action: 'paired', detail: null });
      await this.deps.telegram.sendMessage(message.chat.id, 'Paired: you are the owner of this bridge. /help');
      return;
    }
    await this.deps.store.audit({ at: now, actor: `telegram:${user.id}`, action: 'unpaired_attempt', detail: null });
  }

  private async stranger(user: TgUser, update: TgUpdate): Promise<void> {
    const kind = update.callback_query ? 'button' : update.message?.text?.startsWith('/') ? 'command' : 'message';
    await this.deps.store.audit({
      at: this.deps.clock.now(),
      actor: `telegram:${user.id}`,
      action: `stranger_${kind}`,
      detail: user.username ? `@${user.username}` : null,
    });
    this.deps.log.warn({ userId: user.id, kind }, 'ignored a Telegram user who is not the owner');
    const key = BridgeMeta.strangerAnswered(user.id);
    const chat = update.message?.chat;
    if (!chat || chat.type !== 'private' || (await this.deps.store.getMeta(key)) !== null) return;
    await this.deps.store.setMeta(key, String(this.deps.clock.now()));
    try {
      await this.deps.telegram.sendMessage(chat.id, PRIVATE_BOT_REPLY);
    } catch {
      // Best effort: a stranger is owed nothing.
    }
  }

  /** Whether a command is this bot's: in groups Telegram sends `/status@otherbot` to every bot. */
  private async isForThisBot(command: ParsedCommand): Promise<boolean> {
    if (command.botName === null) return true;
    return command.botName === (await this.ownUsername());
  }

  private ownUsername(): Promise<string> {
    if (this.deps.botUsername !== undefined) return Promise.resolve(this.deps.botUsername.toLowerCase());
    this.username ??= this.deps.telegram.getMe().then(
      (me) => (me.username ?? '').toLowerCase(),
      (error: unknown) => {
        this.username = undefined;
        throw error;
      },
    );
    return this.username;
  }

  private context(chatId: number, topicId: number | undefined, message: TgMessage | null): CommandContext {
    const { telegram, store, options } = this.deps;
    const base = topicId !== undefined ? { topicId } : {};
    const reply = async (text: string, keyboard?: Keyboard) => {
      await this.patiently(() => telegram.sendMessage(chatId, text, { ...base, ...(keyboard ? { keyboard } : {}) }));
    };
    return {
      ...this.deps,
      chatId,
      topicId,
      message,
      currentThread: async () => {
        // In the forum group a topic stands for its thread; elsewhere (General, the private chat) the active one.
        if (topicId !== undefined && chatId === options.get().forumChatId) {
          const topic = await store.getTopicById(String(chatId), topicId);
          if (topic) return topic.threadId;
        }
        return store.getMeta(BridgeMeta.activeThread);
      },
      reply,
      edit: async (messageId: number, text: string, keyboard?: Keyboard) => {
        try {
          await this.patiently(() => telegram.editMessageText(chatId, messageId, text, keyboard));
        } catch (error) {
          // The message already says this (the same choice pressed twice): nothing to send again.
          if (isNotModified(error)) return;
          await reply(text, keyboard);
        }
      },
    };
  }

  /**
   * The owner unblocked (or restarted) the bot: what waited for the chat to open goes out now rather
   * than at its next retry, up to two minutes later.
   */
  private async membership(change: TgChatMemberUpdated): Promise<void> {
    const { ownerId } = this.deps.options.get();
    if (ownerId === null || change.from?.id !== ownerId || change.new_chat_member?.status !== 'member') return;
    const woken = await this.deps.store.wakeOutbox('to_telegram', this.deps.clock.now());
    if (woken > 0) this.deps.log.info({ messages: woken }, 'bot unblocked: sending what waited');
    this.deps.onActivity?.();
  }

  /**
   * Command answers do not go through the outbox (they answer now or not at all), so one sent into
   * Telegram's flood limit waits as long as Telegram asks, a few times, instead of being lost.
   */
  private async patiently(send: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await send();
        return;
      } catch (error) {
        const wait = error instanceof DeliveryError ? error.retryAfterMs : null;
        if (wait === null || wait > COMMAND_MAX_WAIT_MS || attempt >= COMMAND_SEND_ATTEMPTS) throw error;
        await this.deps.clock.sleep(wait, this.stopping);
        if (this.stopping?.aborted) throw error;
      }
    }
  }

  /**
   * A button press is answered even when its handling fails: else the owner's button keeps spinning.
   * A press that will be handled again (the store was busy, or the bridge is stopping) is answered
   * without a word: "did not work" could be untrue, and the answer cannot wait for the retry.
   * Handling it again is harmless, as buttons carry the state they set (see settings.ts).
   */
  private async button(query: TgCallbackQuery): Promise<void> {
    const message = query.message;
    let note: string | undefined;
    try {
      note =
        message && query.data
          ? await handleButton(
              this.context(message.chat.id, message.message_thread_id, message),
              message.message_id,
              query.data,
            )
          : undefined;
    } catch (error) {
      const again = this.stopping?.aborted || (error instanceof StoreError && this.storeErrorRetried);
      await this.answerButton(query.id, again ? undefined : BUTTON_FAILED_NOTE);
      throw error;
    }
    await this.answerButton(query.id, note);
  }

  /** Best effort: a press answered already (before a retry), or too late, is refused by Telegram. */
  private async answerButton(queryId: string, note: string | undefined): Promise<void> {
    try {
      await this.deps.telegram.answerCallbackQuery(queryId, note === undefined ? undefined : truncate(note, 200));
    } catch (error) {
      this.deps.log.warn({ error: errorMessage(error) }, 'could not answer a button press');
    }
  }

  private async message(message: TgMessage): Promise<void> {
    const { options } = this.deps;
    const chat = message.chat;
    const forumChatId = options.get().forumChatId;
    const inForum = forumChatId !== null && chat.id === forumChatId;
    const topicId = message.is_topic_message ? message.message_thread_id : undefined;
    const command = message.text ? parseCommand(message.text) : null;
    // Another bot's command: not ours to answer, nor a message for Instagram.
    if (command && !(await this.isForThisBot(command))) return;

    if (command?.name === 'forum') return forumCommand(this.deps, message, topicId);
    // The owner's private chat and the forum group are served; other groups are ignored.
    if (chat.type !== 'private' && !inForum) return;
    if (message.forum_topic_created) return;

    if (command) {
      const handler = COMMANDS[command.name];
      const ctx = this.context(chat.id, topicId, message);
      if (handler) await handler(ctx, command.args);
      else await ctx.reply(`Unknown command /${command.name}. /help`);
      return;
    }
    await this.toInstagram(message, inForum ? topicId : undefined);
  }

  private async resolveThread(message: TgMessage, topicId: number | undefined): Promise<string | null> {
    const { store } = this.deps;
    const reply = message.reply_to_message;
    if (reply && !reply.forum_topic_created) {
      const mapping = await store.findMappingByTelegram(String(message.chat.id), reply.message_id);
      if (mapping) return mapping.threadId;
      // A reply to a message the bridge cannot place (a notice, a command's answer) is meant for some
      // thread, not necessarily the active one: sending it there could reach the wrong person.
      if (topicId === undefined) return null;
    }
    if (topicId !== undefined) {
      const topic = await store.getTopicById(String(message.chat.id), topicId);
      return topic?.threadId ?? null;
    }
    if (this.deps.options.get().forumChatId === message.chat.id) return null;
    // An archive-only thread made active by an earlier build cannot be answered: ask instead.
    const active = await store.getMeta(BridgeMeta.activeThread);
    return active && !isArchiveOnly(active) ? active : null;
  }

  private async toInstagram(message: TgMessage, topicId: number | undefined): Promise<void> {
    const { store, telegram, clock } = this.deps;
    const chatId = message.chat.id;
    const threadId = await this.resolveThread(message, topicId);
    const replyOptions = { replyTo: message.message_id, ...(topicId !== undefined ? { topicId } : {}) };
    if (!threadId) {
      await telegram.sendMessage(
        chatId,
        'Which thread? Reply to a forwarded message, or pick one with /threads.',
        replyOptions,
      );
      return;
    }
    const base = {
      threadId,
      tgChatId: chatId,
      tgMessageId: message.message_id,
      ...(this.deps.botId !== undefined ? { tgBotId: this.deps.botId } : {}),
    };
    let payload: ToInstagramPayload;
    const largest = message.photo?.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
    if (largest) {
      payload = { type: 'photo', ...base, fileId: largest.file_id, caption: message.caption ?? null };
    } else if (message.document?.mime_type?.startsWith('image/')) {
      payload = { type: 'photo', ...base, fileId: message.document.file_id, caption: message.caption ?? null };
    } else if (message.text) {
      payload = { type: 'text', ...base, text: message.text };
    } else {
      await telegram.sendMessage(chatId, '⚠ Only text and photos can be sent to Instagram.', replyOptions);
      return;
    }
    const now = clock.now();
    const entry = await store.enqueue(
      {
        direction: 'to_instagram',
        dedupeKey: instagramKey(chatId, message.message_id, this.deps.botId),
        lane: threadLane(threadId),
        payload,
        clientContext: newClientContext(now, this.deps.random),
      },
      now,
    );
    // Recorded after the enqueue: a redelivered update finds the existing entry and its context.
    await store.setMeta(BridgeMeta.sentContext(entry.clientContext!), threadId);
    await store.putMapping({
      telegramChatId: String(chatId),
      telegramMessageId: message.message_id,
      threadId,
      itemId: null,
      direction: 'to_instagram',
      createdAt: now,
    });
    this.deps.onActivity?.();
  }
}
