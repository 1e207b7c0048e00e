// Telegram failures in igtg's terms. Callers branch on the class (or `kind`), never on wording:
// RateLimited → wait `retryAfterMs` then retry; Permanent (and its Blocked / Unauthorized
// subclasses) → retrying cannot help; Transient → retry with backoff.
import { IgtgError } from '../core/errors.js';

export type TelegramErrorKind = 'rate_limited' | 'blocked' | 'unauthorized' | 'permanent' | 'transient';

export interface TelegramErrorFields {
  /** Bot API method that failed (`sendMessage`, `file download`, …). */
  method: string;
  /** Telegram's `error_code` (or the HTTP status of a file download); null for network failures. */
  errorCode: number | null;
  /** Telegram's `description`, or a short reason for network failures. Never contains the token. */
  description: string;
}

export abstract class TelegramError extends IgtgError {
  abstract readonly kind: TelegramErrorKind;
  readonly method: string;
  readonly errorCode: number | null;
  readonly description: string;

  constructor(fields: TelegramErrorFields) {
    super(`Telegram ${fields.method} failed: ${fields.description}`);
    this.method = fields.method;
    this.errorCode = fields.errorCode;
    this.description = fields.description;
  }

  /** True when the same call may succeed later. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

/** 429: Telegram asked to wait. The next call to the same chat must wait `retryAfterMs`. */
export class TelegramRateLimited extends TelegramError {
  readonly kind = 'rate_limited' as const;
  readonly retryAfterMs: number;
  constructor(fields: TelegramErrorFields & { retryAfterMs: number }) {
    super(fields);
    this.name = 'TelegramRateLimited';
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** A request Telegram refused for good (400 bad request, message too long, …). */
export class TelegramPermanent extends TelegramError {
  readonly kind: TelegramErrorKind = 'permanent';
  /** Set when a group was upgraded to a supergroup: send to this chat id instead. */
  readonly migrateToChatId: number | null;
  constructor(fields: TelegramErrorFields & { migrateToChatId?: number | null }) {
    super(fields);
    this.name = 'TelegramPermanent';
    this.migrateToChatId = fields.migrateToChatId ?? null;
  }
}

/** 403: the user blocked the bot, was deactivated, or the bot was removed from the chat. */
export class TelegramBlocked extends TelegramPermanent {
  override readonly kind = 'blocked' as const;
  constructor(fields: TelegramErrorFields) {
    super(fields);
    this.name = 'TelegramBlocked';
  }
}

/** 401: the bot token is wrong or was revoked. */
export class TelegramUnauthorized extends TelegramPermanent {
  override readonly kind = 'unauthorized' as const;
  constructor(fields: TelegramErrorFields) {
    super(fields);
    this.name = 'TelegramUnauthorized';
  }
}

/** 5xx, 409 conflicts, timeouts, connection failures: worth retrying with backoff. */
export class TelegramTransient extends TelegramError {
  readonly kind = 'transient' as const;
  constructor(fields: TelegramErrorFields) {
    super(fields);
    this.name = 'TelegramTransient';
  }
}

export interface ApiFailure {
  method: string;
  errorCode: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number } | null;
}

const RETRY_AFTER_TEXT = /retry after (\d+)/i;

/** Classifies an `{ ok: false, error_code, description, parameters }` answer of the Bot API. */
export function classifyApiFailure(failure: ApiFailure): TelegramError {
  const { method, errorCode, description } = failure;
  const fields = { method, errorCode, description };
  if (errorCode === 429 || errorCode === 420) {
    // Servers before 2017 sent the wait only in the description.
    const seconds = failure.parameters?.retry_after ?? Number(RETRY_AFTER_TEXT.exec(description)?.[1] ?? 1);
    return new TelegramRateLimited({ ...fields, retryAfterMs: Math.max(0, seconds) * 1000 });
  }
  if (errorCode === 401) return new TelegramUnauthorized(fields);
  if (errorCode === 403) return new TelegramBlocked(fields);
  if (errorCode === 409 || errorCode >= 500) return new TelegramTransient(fields);
  return new TelegramPermanent({ ...fields, migrateToChatId: failure.parameters?.migrate_to_chat_id ?? null });
}

/** A failure before any Bot API answer: connection refused, reset, timeout, unreadable body. */
export function networkFailure(method: string, reason: string): TelegramTransient {
  return new TelegramTransient({ method, errorCode: null, description: reason });
}

export function isRetryableTelegramError(error: unknown): boolean {
  return error instanceof TelegramError && error.retryable;
}
