import { describe, expect, it } from 'vitest';
import {
  CALLBACK_DATA_MAX_BYTES,
  callbackArgMatches,
  callbackData,
  pagedKeyboard,
  parseCallbackData,
  threadListKeyboard,
} from '../../src/telegram/keyboards.js';

describe('callback data', () => {
  it('carries short arguments as they are', () => {
    const data = callbackData('thr', '340282366841710300949128137443944319108');
    expect(data).toBe('thr:340282366841710300949128137443944319108');
    expect(parseCallbackData(data)).toEqual({ action: 'thr', arg: '340282366841710300949128137443944319108' });
  });

  it('hashes arguments that would exceed 64 bytes and matches them back', () => {
    const id = 'archive:weekendcrew_campingtripplanning_5979738325414604_überlang';
    const data = callbackData('thr', id);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    const { arg } = parseCallbackData(data);
    expect(callbackArgMatches(arg, id)).toBe(true);
    expect(callbackArgMatches(arg, `${id}x`)).toBe(false);
  });

  it('refuses actions that cannot be parsed back', () => {
    expect(() => callbackData('a:b', 'x')).toThrow(RangeError);
  });
});

describe('paged keyboards', () => {
  const threads = Array.from({ length: 19 }, (_, i) => ({ id: String(1000 + i), title: `Thread ${i}` }));

  it('shows one page of threads with navigation', () => {
    const { keyboard, page, pageCount } = threadListKeyboard(threads, 1, 8);
    expect(page).toBe(1);
    expect(pageCount).toBe(3);
    expect(keyboard.slice(0, -1).map((row) => row[0]!.data)).toEqual(
      Array.from({ length: 8 }, (_, i) => `thr:${1008 + i}`),
    );
    expect(keyboard.at(-1)!.map((b) => b.data)).toEqual(['thp:0', 'thp:1', 'thp:2']);
  });

  it('clamps the page and omits arrows at the ends', () => {
    const last = threadListKeyboard(threads, 99, 8);
    expect(last.page).toBe(2);
    expect(last.keyboard.slice(0, -1)).toHaveLength(3);
    expect(last.keyboard.at(-1)!.map((b) => b.text)).toEqual(['◀', '3/3']);
    const first = threadListKeyboard(threads, -1, 8);
    expect(first.keyboard.at(-1)!.map((b) => b.text)).toEqual(['1/3', '▶']);
  });

  it('has no navigation row for a single page and truncates long labels', () => {
    const { keyboard } = pagedKeyboard({
      items: [{ label: 'x'.repeat(100), arg: '1' }],
      page: 0,
      pickAction: 'a',
      pageAction: 'p',
    });
    expect(keyboard).toHaveLength(1);
    expect(keyboard[0]![0]!.text.length).toBeLessThanOrEqual(48);
  });

  it('keeps every callback_data within 64 bytes', () => {
    const long = threads.map((t) => ({ ...t, id: `archive:${'ü'.repeat(60)}${t.id}` }));
    for (const row of threadListKeyboard(long, 0).keyboard) {
      for (const button of row) expect(Buffer.byteLength(button.data!)).toBeLessThanOrEqual(64);
    }
  });
});
