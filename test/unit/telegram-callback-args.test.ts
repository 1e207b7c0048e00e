import { describe, expect, it } from 'vitest';
import {
  CALLBACK_DATA_MAX_BYTES,
  callbackArgMatches,
  callbackDataArgs,
  parseCallbackArgs,
  parseCallbackData,
} from '../../src/telegram/keyboards.js';

describe('callback data with several arguments', () => {
  const split = (data: string, count: number) => parseCallbackArgs(parseCallbackData(data).arg, count)!;

  it('carries arguments as they are when they fit; the last may hold ":"', () => {
    const data = callbackDataArgs('mp', ['1700000000000', 'i1', 'archive:zoe']);
    expect(data).toBe('mp:1700000000000:i1:archive:zoe');
    expect(split(data, 3)).toEqual(['1700000000000', 'i1', 'archive:zoe']);
  });

  it('hashes an argument before the last that holds ":" or starts with "#"', () => {
    const data = callbackDataArgs('mp', ['1', 'a:xyz', '#t']);
    const [at, id, threadArg] = split(data, 3) as [string, string, string];
    expect(at).toBe('1');
    expect(id).toMatch(/^#/);
    expect(callbackArgMatches(id, 'a:xyz')).toBe(true);
    expect(callbackArgMatches(threadArg, '#t')).toBe(true);
  });

  it('hashes the longest arguments until the whole fits in 64 bytes, and matches them back', () => {
    const thread = '340282366841710300949128137443944319108';
    const item = '32465485632194856321548965412365478';
    const data = callbackDataArgs('mp', ['1700000000000', item, thread]);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    const [at, id, threadArg] = split(data, 3) as [string, string, string];
    expect(at).toBe('1700000000000');
    expect(callbackArgMatches(id, item)).toBe(true);
    expect(callbackArgMatches(threadArg, thread)).toBe(true);
    expect(callbackArgMatches(threadArg, item)).toBe(false);
  });

  it('refuses what cannot fit or be parsed back', () => {
    expect(() => callbackDataArgs('a:b', ['x'])).toThrow(RangeError);
    expect(() =>
      callbackDataArgs(
        'x',
        Array.from({ length: 5 }, () => '1'.repeat(16)),
      ),
    ).toThrow(RangeError);
    expect(parseCallbackArgs('a:b', 3)).toBeNull();
  });
});
