import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parsePositiveNumber, parseUserId } from '../../src/bridge/service/settings-options.js';

describe('environment numbers of the bridge', () => {
  it('reads a Telegram user id from decimal digits only', () => {
    expect(parseUserId('123456789', 'IGTG_TELEGRAM_OWNER_ID')).toBe(123456789);
    expect(parseUserId(' 42 ', 'IGTG_TELEGRAM_OWNER_ID')).toBe(42);
    expect(parseUserId(undefined, 'IGTG_TELEGRAM_OWNER_ID')).toBeUndefined();
    expect(parseUserId('', 'IGTG_TELEGRAM_OWNER_ID')).toBeUndefined();
    for (const raw of ['0x10', '1e3', '1.5', '-4', '0', '12abc', '99999999999999999999']) {
      expect(() => parseUserId(raw, 'IGTG_TELEGRAM_OWNER_ID')).toThrow(UsageError);
    }
    expect(() => parseUserId('0x10', 'IGTG_TELEGRAM_OWNER_ID')).toThrow(
      'IGTG_TELEGRAM_OWNER_ID must be a Telegram user id (a positive whole number), not "0x10"',
    );
  });

  it('reads other settings as positive numbers', () => {
    expect(parsePositiveNumber('2.5', 'IGTG_POLL_INTERVAL')).toBe(2.5);
    expect(() => parsePositiveNumber('0', 'IGTG_POLL_INTERVAL')).toThrow(UsageError);
  });
});
