// Send pacing within Telegram's flood limits (Bot FAQ): about one message a second per chat, 20 a
// minute in a group, 30 a second overall; and a 429's retry_after holds back the next call to that
// chat. Each caller reserves its slot synchronously, so concurrent callers never share one.
import type { Clock } from '../core/clock.js';
import { TelegramRateLimited } from './errors.js';
import type { TelegramChatId } from './telegram-client.js';

export interface PacerLimits {
  /** Minimum gap between two sends to the same chat. */
  perChatIntervalMs: number;
  /** Sends to one group (negative chat id) within any `groupWindowMs`. */
  groupPerWindow: number;
  groupWindowMs: number;
  /** Sends to all chats together per second. */
  globalPerSecond: number;
}

/**
 * A little under Telegram's figures: the server measures the gap between requests as they reach it,
 * which network jitter brings closer together than they left, so pacing at the limit meets 429s.
 */
export const TELEGRAM_LIMITS: PacerLimits = {
  perChatIntervalMs: 1100,
  groupPerWindow: 19,
  groupWindowMs: 60_000,
  globalPerSecond: 30,
};

export interface AcquireOptions {
  /** A stop: the wait ends at once and acquire throws the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * The longest this send may wait (a command's answer, say, unlike an outbox delivery). A send
   * that would wait longer reserves nothing and is refused at once with TelegramRateLimited.
   */
  maxWaitMs?: number | undefined;
}

interface ChatState {
  /** Earliest time of this chat's next send. */
  nextAt: number;
  /** Set by a 429: nothing goes to the chat before this time. */
  blockedUntil: number;
  /** Reserved send times in a group, ascending, within the group window. */
  recent: number[];
}

const SWEEP_AT = 1000;

export class Pacer {
  private readonly chats = new Map<string, ChatState>();
  private readonly globalIntervalMs: number;
  private globalNextAt = 0;
  private globalBlockedUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limits: PacerLimits = TELEGRAM_LIMITS,
  ) {
    this.globalIntervalMs = Math.ceil(1000 / limits.globalPerSecond);
  }

  /**
   * Waits until a send to `chatId` is allowed and returns the time it was granted. Throws the
   * signal's reason when aborted, and TelegramRateLimited when the wait would exceed `maxWaitMs`.
   */
  async acquire(chatId: TelegramChatId, options: AcquireOptions = {}): Promise<number> {
    const { signal, maxWaitMs } = options;
    const key = String(chatId);
    const deadline = this.clock.now() + (maxWaitMs ?? Infinity);
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const chat = this.state(key);
      const slot = this.earliestSlot(key, chat);
      if (slot > deadline) throw floodWait(slot - this.clock.now());
      this.reserve(key, chat, slot);
      await this.sleepUntil(slot, signal);
      // A 429 that arrived while we waited moves this send behind the penalty.
      const now = this.clock.now();
      if (this.state(key).blockedUntil > now || this.globalBlockedUntil > now) continue;
      break;
    }
    const globalSlot = Math.max(this.clock.now(), this.globalNextAt);
    this.globalNextAt = globalSlot + this.globalIntervalMs;
    await this.sleepUntil(globalSlot, signal);
    return this.clock.now();
  }

  /**
   * Marks the end of a call to `chatId`. The next send waits a full interval from here, so network
   * delays cannot bring two requests closer together at the server than the limit allows.
   */
  sent(chatId: TelegramChatId): void {
    const key = String(chatId);
    const chat = this.state(key);
    const now = this.clock.now();
    chat.nextAt = Math.max(chat.nextAt, now + this.limits.perChatIntervalMs);
    const last = chat.recent.length - 1;
    if (last >= 0) chat.recent[last] = Math.max(chat.recent[last]!, now);
  }

  /** Obeys a 429: the next call to `chatId` (or to every chat, for null) waits `retryAfterMs`. */
  penalize(chatId: TelegramChatId | null, retryAfterMs: number): void {
    const until = this.clock.now() + retryAfterMs;
    if (chatId === null) {
      this.globalBlockedUntil = Math.max(this.globalBlockedUntil, until);
      return;
    }
    const chat = this.state(String(chatId));
    chat.blockedUntil = Math.max(chat.blockedUntil, until);
  }

  /** How long a send to `chatId` would wait now, without reserving (for scheduling retries). */
  delayFor(chatId: TelegramChatId): number {
    const key = String(chatId);
    return Math.max(0, this.earliestSlot(key, this.state(key)) - this.clock.now());
  }

  private reserve(key: string, chat: ChatState, slot: number): void {
    chat.nextAt = slot + this.limits.perChatIntervalMs;
    if (isGroup(key)) chat.recent.push(slot);
  }

  private earliestSlot(key: string, chat: ChatState): number {
    let slot = Math.max(this.clock.now(), chat.nextAt, chat.blockedUntil, this.globalBlockedUntil);
    if (isGroup(key)) {
      const { groupPerWindow, groupWindowMs } = this.limits;
      while (chat.recent.length > 0 && chat.recent[0]! <= slot - groupWindowMs) chat.recent.shift();
      if (chat.recent.length >= groupPerWindow) {
        slot = Math.max(slot, chat.recent[chat.recent.length - groupPerWindow]! + groupWindowMs);
      }
    }
    return slot;
  }

  private async sleepUntil(time: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const wait = time - this.clock.now();
      if (wait <= 0) return;
      await this.clock.sleep(wait, signal);
    }
  }

  private state(key: string): ChatState {
    let chat = this.chats.get(key);
    if (!chat) {
      if (this.chats.size >= SWEEP_AT) this.sweep();
      chat = { nextAt: 0, blockedUntil: 0, recent: [] };
      this.chats.set(key, chat);
    }
    return chat;
  }

  /** Forgets chats with nothing pending, so a long-running bridge keeps bounded memory. */
  private sweep(): void {
    const now = this.clock.now();
    const horizon = now - this.limits.groupWindowMs;
    for (const [key, chat] of this.chats) {
      const idle = chat.nextAt <= now && chat.blockedUntil <= now && chat.recent.every((t) => t <= horizon);
      if (idle) this.chats.delete(key);
    }
  }
}

function floodWait(waitMs: number): TelegramRateLimited {
  return new TelegramRateLimited({
    method: 'send',
    errorCode: null,
    description: `flood limit: the chat takes no message for another ${Math.ceil(waitMs / 1000)} s`,
    retryAfterMs: waitMs,
  });
}

/** Group and supergroup ids are negative; private chats (user ids) are positive. */
export function isGroup(chatId: TelegramChatId): boolean {
  return String(chatId).startsWith('-');
}
