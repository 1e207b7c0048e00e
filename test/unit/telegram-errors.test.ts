import { NetworkError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { describe, expect, it } from 'vitest';
import {
  classifyApiFailure,
  isRetryableTelegramError,
  TelegramBlocked,
  TelegramPermanent,
  TelegramRateLimited,
  TelegramTransient,
  TelegramUnauthorized,
} from '../../src/telegram/errors.js';
import { mapLibraryError } from '../../src/telegram/map-library-error.js';

// Bodies as in shared/formats/tg-errors.json.
const bodies = {
  flood: { error_code: 429, description: 'Too Many Requests: retry after 34', parameters: { retry_after: 34 } },
  floodLegacy: { error_code: 429, description: 'Too Many Requests: retry after 3' },
  blocked: { error_code: 403, description: 'Forbidden: bot was blocked by the user' },
  deactivated: { error_code: 403, description: 'Forbidden: user is deactivated' },
  kicked: { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' },
  tooLong: { error_code: 400, description: 'Bad Request: message is too long' },
  chatNotFound: { error_code: 400, description: 'Bad Request: chat not found' },
  migrated: {
    error_code: 400,
    description: 'Bad Request: group chat was upgraded to a supergroup chat',
    parameters: { migrate_to_chat_id: -1001134449138 },
  },
  conflict: { error_code: 409, description: 'Conflict: terminated by other getUpdates request' },
  badToken: { error_code: 401, description: 'Unauthorized' },
  server: { error_code: 502, description: 'Bad Gateway' },
};

function classify(body: { error_code: number; description: string; parameters?: object }) {
  return classifyApiFailure({
    method: 'sendMessage',
    errorCode: body.error_code,
    description: body.description,
    parameters: body.parameters,
  });
}

describe('classifyApiFailure', () => {
  it('turns 429 into RateLimited with retry_after in milliseconds', () => {
    const error = classify(bodies.flood);
    expect(error).toBeInstanceOf(TelegramRateLimited);
    expect((error as TelegramRateLimited).retryAfterMs).toBe(34_000);
    expect(error.retryable).toBe(true);
  });

  it('reads the wait from the description of old servers', () => {
    expect((classify(bodies.floodLegacy) as TelegramRateLimited).retryAfterMs).toBe(3000);
  });

  it('treats every 403 as Blocked, a permanent failure', () => {
    for (const body of [bodies.blocked, bodies.deactivated, bodies.kicked]) {
      const error = classify(body);
      expect(error).toBeInstanceOf(TelegramBlocked);
      expect(error).toBeInstanceOf(TelegramPermanent);
      expect(error.retryable).toBe(false);
      expect(error.description).toBe(body.description);
    }
  });

  it('treats bad requests as Permanent and keeps the migration target', () => {
    expect(classify(bodies.tooLong)).toBeInstanceOf(TelegramPermanent);
    expect(classify(bodies.chatNotFound).kind).toBe('permanent');
    expect((classify(bodies.migrated) as TelegramPermanent).migrateToChatId).toBe(-1001134449138);
  });

  it('treats a wrong token as Unauthorized and 5xx / 409 as Transient', () => {
    expect(classify(bodies.badToken)).toBeInstanceOf(TelegramUnauthorized);
    expect(classify(bodies.server)).toBeInstanceOf(TelegramTransient);
    expect(classify(bodies.conflict)).toBeInstanceOf(TelegramTransient);
    expect(isRetryableTelegramError(classify(bodies.server))).toBe(true);
    expect(isRetryableTelegramError(new Error('x'))).toBe(false);
  });

  it('says which call failed in one line', () => {
    expect(classify(bodies.tooLong).message).toBe('Telegram sendMessage failed: Bad Request: message is too long');
  });
});

describe('mapLibraryError', () => {
  const token = '123:secret';

  it('classifies the library’s API errors', () => {
    const error = mapLibraryError(
      'sendMessage',
      new TelegramApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 }),
      token,
    );
    expect(error).toBeInstanceOf(TelegramRateLimited);
    expect((error as TelegramRateLimited).retryAfterMs).toBe(1000);
  });

  it('maps an API error without a description (a bare {"ok":false}) by its code', () => {
    const error = mapLibraryError('getMe', new TelegramApiError(500, undefined as unknown as string), token);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('error 500');
  });

  it('turns network failures and timeouts into Transient errors without leaking the token', () => {
    const cause = Object.assign(new Error(`connect ECONNREFUSED for /bot${token}/x`), { code: 'ECONNREFUSED' });
    const network = mapLibraryError(
      'getMe',
      new NetworkError('Network request failed: getMe', { cause: new TypeError('fetch failed', { cause }) }),
      token,
    );
    expect(network).toBeInstanceOf(TelegramTransient);
    expect((network as Error).message).toContain('ECONNREFUSED');
    expect((network as Error).message).not.toContain('secret');
    expect(mapLibraryError('getMe', new TimeoutError(), token)).toBeInstanceOf(TelegramTransient);
  });

  it('passes through aborts and unknown errors', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('aborted', 'AbortError');
    expect(mapLibraryError('getUpdates', abort, token, controller.signal)).toBe(abort);
    const bug = new TypeError('bug');
    expect(mapLibraryError('getMe', bug, token)).toBe(bug);
  });
});
