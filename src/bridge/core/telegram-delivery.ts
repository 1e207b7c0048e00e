// Delivers one to_telegram outbox entry. The message is read from the store at delivery time.
// Each Telegram message sent is recorded as a mapping right away, so a retry (or a restart after a
// crash) skips the parts already delivered: at most the one part in flight can be duplicated.
import type { MediaKind, Message } from '../../core/model.js';
import type { BridgeMapping, OutboxEntry, Store } from '../../store/store.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { DeliveryError, type InstagramPort, type SendOptions, type TelegramPort, type TgMediaKind } from '../ports.js';
import { destinationFor, isTopicGone, newTopic, TopicRefusedError, type Destination } from './destination.js';
import type { BridgeOptionsPort } from './options.js';
import type { ToTelegramPayload } from './payloads.js';
import { body, header, mediaLinks, reactionNote, withHeader } from './render.js';
import { CAPTION_LIMIT, MESSAGE_LIMIT, splitPlain, truncate } from './split-text.js';

const MEDIA_KIND: Record<MediaKind, TgMediaKind> = {
  photo: 'photo',
  video: 'video',
  audio: 'voice',
  gif: 'animation',
  sticker: 'photo',
  file: 'document',
};

/** Telegram allows only its own set of reaction emoji; ✓ is not one of them. */
export const SENT_REACTION = '👍';

const EXTENSION: Record<TgMediaKind, string> = {
  photo: 'jpg',
  video: 'mp4',
  voice: 'ogg',
  animation: 'mp4',
  document: 'bin',
};

export interface TelegramDeliveryDeps {
  store: Store;
  telegram: TelegramPort;
  instagram: InstagramPort;
  options: BridgeOptionsPort;
  clock: Clock;
}

/** At most one notice an hour about topics Telegram refuses to create: each DM of a new thread meets it. */
const TOPIC_NOTICE_EVERY_MS = 60 * 60_000;

export class TelegramDelivery {
  constructor(private readonly deps: TelegramDeliveryDeps) {}

  async deliver(entry: OutboxEntry): Promise<void> {
    try {
      await this.deliverInTopics(entry.payload as ToTelegramPayload);
    } catch (error) {
      if (error instanceof TopicRefusedError) await this.tellOwnerTopicRefused(error);
      throw error;
    }
  }

  private async deliverInTopics(payload: ToTelegramPayload): Promise<void> {
    try {
      await this.deliverPayload(payload);
    } catch (error) {
      const forumChatId = this.deps.options.get().forumChatId;
      const threadId = payload.type === 'message' || payload.type === 'reactions' ? payload.threadId : null;
      if (forumChatId === null || threadId === null || !isTopicGone(error)) throw error;
      // The owner deleted the thread's topic: the thread gets a new one, and the entry goes there on
      // its next attempt (a wait that does not count as a failed attempt).
      await newTopic(threadId, forumChatId, this.deps.store, this.deps.telegram);
      throw new DeliveryError(`${errorMessage(error)}; posting in a new topic`, { retryAfterMs: 0, cause: error });
    }
  }

  /** The DM becomes a dead letter (the entry's error is permanent); the owner hears why, in private. */
  private async tellOwnerTopicRefused(error: TopicRefusedError): Promise<void> {
    const now = this.deps.clock.now();
    const text =
      `⚠ No forum topic could be made for a new thread (${errorMessage(error.cause)}): its DMs wait as ` +
      'dead letters. Make this bot an admin of the group with the right to manage topics, then send /retry.';
    const payload: ToTelegramPayload = { type: 'notice', text };
    await this.deps.store.enqueue(
      {
        direction: 'to_telegram',
        dedupeKey: `notice:topic-refused:${error.forumChatId}:${Math.floor(now / TOPIC_NOTICE_EVERY_MS)}`,
        lane: 'notice',
        payload,
      },
      now,
    );
  }

  private async deliverPayload(payload: ToTelegramPayload): Promise<void> {
    switch (payload.type) {
      case 'message':
        return this.forwardMessage(payload.threadId, payload.itemId);
      case 'unsend':
        return this.markUnsent(payload.threadId, payload.itemId);
      case 'reactions':
        return this.noteReactions(payload.threadId, payload.itemId);
      case 'notice':
        return this.notice(payload.text, payload.replyTo ?? null);
      case 'outcome':
        return this.outcome(payload.chatId, payload.messageId, payload.ok, payload.reason ?? null);
    }
  }

  private async loadMessage(threadId: string, itemId: string): Promise<Message | null> {
    return this.deps.store.getMessage(threadId, itemId);
  }

  private async forwardMessage(threadId: string, itemId: string): Promise<void> {
    const { store, options } = this.deps;
    const message = await this.loadMessage(threadId, itemId);
    if (!message) return; // Gone from the store (deleted by the owner): nothing to deliver.
    const dest = await this.destination(threadId);
    const thread = await store.getThread(threadId);
    const head = header(message, { thread, mode: dest.mode });
    const content = body(message);
    const parts: Array<() => Promise<number>> = [];
    const replyTo = await this.replyTarget(message, dest);
    const send = (text: string, first: boolean) => () =>
      this.deps.telegram
        .sendMessage(dest.chatId, text, this.sendOptions(dest, first ? replyTo : undefined))
        .then((r) => r.messageId);

    const media = message.unsent ? [] : message.media.filter((m) => m.url);
    if (media.length > 0 && options.get().media) {
      const captionFull = withHeader(head, content === `(${message.kind})` ? '' : content);
      const caption = truncate(captionFull, CAPTION_LIMIT);
      media.forEach((item, index) => {
        parts.push(async () => {
          const kind = MEDIA_KIND[item.kind];
          let data: Uint8Array;
          let mime: string | null;
          try {
            ({ data, mime } = await this.deps.instagram.download(item.url!));
          } catch (error) {
            if (error instanceof DeliveryError && error.permanent) {
              // Expired or missing media: say so with the link instead of retrying forever.
              return send(
                withHeader(head, [content, ...mediaLinks(message)].filter(Boolean).join('\n')),
                index === 0,
              )();
            }
            throw error;
          }
          const file = {
            data,
            mime: mime ?? item.mime,
            fileName: item.name ?? `${message.id}-${index}.${EXTENSION[kind]}`,
          };
          const result = await this.deps.telegram.sendMedia(
            dest.chatId,
            kind,
            file,
            index === 0 ? caption : null,
            this.sendOptions(dest, index === 0 ? replyTo : undefined),
          );
          return result.messageId;
        });
      });
      // A caption that did not fit follows as text.
      if (captionFull.length > CAPTION_LIMIT) splitPlain(content).forEach((text) => parts.push(send(text, false)));
    } else {
      const links = media.length > 0 ? mediaLinks(message) : [];
      const placeholder = content === `(${message.kind})`;
      const lines = (placeholder && links.length > 0 ? links : [content, ...links]).filter((line) => line !== '');
      // Media without a link and no header (a 1:1 topic) would leave nothing: Telegram refuses empty text.
      const text = lines.join('\n') || mediaLinks(message).join('\n') || `(${message.kind})`;
      // Every part of a long message says whose it is: another thread's message may come between parts.
      const continued = head && `${truncate(head, 200)} (cont.)`;
      const room = MESSAGE_LIMIT - (continued ? continued.length + 1 : 0);
      splitPlain(text, room).forEach((chunk, index) =>
        parts.push(send(withHeader(index === 0 ? head : continued, chunk), index === 0)),
      );
    }

    // Parts already delivered before a crash or a failed later part are recorded as mappings.
    const done = (await store.findMappingsByItem(threadId, itemId)).filter(
      (m) => m.direction === 'to_telegram' && m.telegramChatId === String(dest.chatId),
    ).length;
    for (let index = done; index < parts.length; index++) {
      const messageId = await parts[index]!();
      await store.putMapping(this.mapping(dest.chatId, messageId, threadId, itemId));
    }
  }

  private async markUnsent(threadId: string, itemId: string): Promise<void> {
    const mappings = (await this.deps.store.findMappingsByItem(threadId, itemId)).filter(
      (m) => m.direction === 'to_telegram',
    );
    const message = await this.loadMessage(threadId, itemId);
    const thread = await this.deps.store.getThread(threadId);
    for (const mapping of mappings) {
      const mode = this.deps.options.get().forumChatId !== null ? 'forum' : 'private';
      const head = message ? header(message, { thread, mode }) : null;
      const text = withHeader(head, '🚫 (message unsent)');
      const chatId = Number(mapping.telegramChatId);
      try {
        await this.deps.telegram.editMessageText(chatId, mapping.telegramMessageId, text);
      } catch (error) {
        // A media message has a caption, not a text; an identical edit is refused too: both are fine.
        if (!(error instanceof DeliveryError) || !error.permanent) throw error;
        try {
          await this.deps.telegram.editMessageCaption(chatId, mapping.telegramMessageId, text);
        } catch (second) {
          if (!(second instanceof DeliveryError) || !second.permanent) throw second;
        }
      }
    }
  }

  private async noteReactions(threadId: string, itemId: string): Promise<void> {
    const message = await this.loadMessage(threadId, itemId);
    if (!message || message.reactions.length === 0) return;
    const dest = await this.destination(threadId);
    const target = (await this.deps.store.findMappingsByItem(threadId, itemId)).find(
      (m) => m.direction === 'to_telegram' && m.telegramChatId === String(dest.chatId),
    );
    const thread = await this.deps.store.getThread(threadId);
    const text =
      dest.mode === 'private' && !target
        ? withHeader(`💬 ${thread?.title ?? threadId}`, reactionNote(message))
        : reactionNote(message);
    const sent = await this.deps.telegram.sendMessage(
      dest.chatId,
      text,
      this.sendOptions(dest, target?.telegramMessageId, true),
    );
    // A reply to the note goes to its thread. No item: the note is not a part of the message's delivery.
    await this.deps.store.putMapping({ ...this.mapping(dest.chatId, sent.messageId, threadId, itemId), itemId: null });
  }

  private async notice(text: string, replyTo: { chatId: number; messageId: number } | null): Promise<void> {
    const ownerId = this.deps.options.get().ownerId;
    const chatId = replyTo?.chatId ?? ownerId;
    if (chatId === null || chatId === undefined) throw new DeliveryError('no owner paired yet');
    await this.deps.telegram.sendMessage(chatId, text, replyTo ? { replyTo: replyTo.messageId } : {});
  }

  private async outcome(chatId: number, messageId: number, ok: boolean, reason: string | null): Promise<void> {
    if (ok) {
      try {
        await this.deps.telegram.setReaction(chatId, messageId, SENT_REACTION);
        return;
      } catch (error) {
        if (!(error instanceof DeliveryError) || !error.permanent) throw error;
      }
      await this.deps.telegram.sendMessage(chatId, '✓ sent', { replyTo: messageId, silent: true });
      return;
    }
    await this.deps.telegram.sendMessage(chatId, `⚠ not delivered to Instagram${reason ? `: ${reason}` : ''}`, {
      replyTo: messageId,
    });
  }

  private async destination(threadId: string): Promise<Destination> {
    const dest = await destinationFor(threadId, this.deps.store, this.deps.telegram, this.deps.options);
    if (!dest) throw new DeliveryError('no Telegram owner paired yet');
    return dest;
  }

  private async replyTarget(message: Message, dest: Destination): Promise<number | undefined> {
    if (!message.replyTo) return undefined;
    const mappings = await this.deps.store.findMappingsByItem(message.threadId, message.replyTo);
    return mappings.find((m) => m.telegramChatId === String(dest.chatId))?.telegramMessageId;
  }

  private sendOptions(dest: Destination, replyTo: number | undefined, silent = false): SendOptions {
    const options: SendOptions = {};
    if (dest.topicId !== undefined) options.topicId = dest.topicId;
    if (replyTo !== undefined) options.replyTo = replyTo;
    if (silent) options.silent = true;
    return options;
  }

  private mapping(chatId: number, messageId: number, threadId: string, itemId: string): BridgeMapping {
    return {
      telegramChatId: String(chatId),
      telegramMessageId: messageId,
      threadId,
      itemId,
      direction: 'to_telegram',
      createdAt: this.deps.clock.now(),
    };
  }
}
