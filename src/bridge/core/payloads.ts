// What the bridge puts in outbox entries. Kept small: the message itself is read from the store at
// delivery time, so an entry survives schema changes and never duplicates message text.

export const LANE_PREFIX = { thread: 'thread:', chat: 'chat:' } as const;

/** Instagram → Telegram. */
export type ToTelegramPayload =
  | { type: 'message'; threadId: string; itemId: string }
  | { type: 'unsend'; threadId: string; itemId: string }
  | { type: 'reactions'; threadId: string; itemId: string }
  /** A bridge notice to the owner (session expired, delivery failures). */
  | { type: 'notice'; text: string; threadId?: string | null; replyTo?: { chatId: number; messageId: number } | null }
  /** A ✓ or ⚠ on the owner's Telegram message once Instagram accepted it or gave up. */
  | { type: 'outcome'; chatId: number; messageId: number; ok: boolean; reason?: string | null };

/** Telegram → Instagram. */
export type ToInstagramPayload =
  | ({ type: 'text'; text: string } & TelegramOrigin)
  | ({ type: 'photo'; fileId: string; caption: string | null } & TelegramOrigin);

/** Where an owner's message came from; `tgBotId` (the bot's getMe id) is absent in older entries. */
export interface TelegramOrigin {
  threadId: string;
  tgChatId: number;
  tgMessageId: number;
  tgBotId?: number;
}

export function threadLane(threadId: string): string {
  return `${LANE_PREFIX.thread}${threadId}`;
}

export function telegramKey(threadId: string, itemId: string, part?: string): string {
  return part ? `tg:${threadId}:${itemId}:${part}` : `tg:${threadId}:${itemId}`;
}

/**
 * A Telegram message in outbox keys: message ids are per bot, so another bot's never collide
 * (entries from before bot ids were kept have none).
 */
export function telegramMessageRef(chatId: number, messageId: number, botId?: number): string {
  return botId === undefined ? `${chatId}:${messageId}` : `${botId}:${chatId}:${messageId}`;
}

/** The outbox key of an owner's Telegram message on its way to Instagram. */
export function instagramKey(chatId: number, messageId: number, botId?: number): string {
  return `ig:${telegramMessageRef(chatId, messageId, botId)}`;
}
