import { describe, expect, it } from 'vitest';
import { splitCaption } from '../../src/telegram/format.js';
import { CAPTION_LIMIT, MESSAGE_LIMIT, splitFirst, splitText } from '../../src/telegram/split-text.js';
import { parseHtml } from '../fakes/telegram/parse-html.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
}

describe('splitText', () => {
  it('keeps short text whole and sends nothing for empty text', () => {
    expect(splitText('hello')).toEqual(['hello']);
    expect(splitText('')).toEqual([]);
  });

  it('splits exactly at the 4096 boundary', () => {
    expect(splitText('a'.repeat(MESSAGE_LIMIT))).toEqual(['a'.repeat(MESSAGE_LIMIT)]);
    const parts = splitText('a'.repeat(MESSAGE_LIMIT + 1));
    expect(parts.map((p) => p.length)).toEqual([MESSAGE_LIMIT, 1]);
  });

  it('never cuts a surrogate pair at the boundary', () => {
    const text = `${'a'.repeat(MESSAGE_LIMIT - 1)}😀b`;
    const parts = splitText(text);
    expect(parts).toEqual(['a'.repeat(MESSAGE_LIMIT - 1), '😀b']);
  });

  it('keeps emoji-only text valid in every part', () => {
    const text = `x${'😀'.repeat(5000)}`;
    const parts = splitText(text);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(LONE_SURROGATE.test(part)).toBe(false);
    }
  });

  it('keeps grapheme clusters (ZWJ families, flags, combining marks) whole', () => {
    const family = '👨‍👩‍👧';
    const flag = '🇩🇪';
    const accented = 'e\u0301';
    for (const cluster of [family, flag, accented]) {
      const text = `${'a'.repeat(MESSAGE_LIMIT - 1)}${cluster}tail`;
      const parts = splitText(text);
      expect(parts[0]).toBe('a'.repeat(MESSAGE_LIMIT - 1));
      expect(parts[1]!.startsWith(cluster)).toBe(true);
      expect(parts.join('')).toBe(text);
    }
    const many = family.repeat(1200);
    for (const part of splitText(many)) expect(graphemes(part).every((g) => g === family)).toBe(true);
  });

  it('prefers a line break, then a space, in the second half of a part', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(90)}`).join('\n');
    const parts = splitText(lines);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(lines);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);

    const words = 'word '.repeat(2000);
    const wordParts = splitText(words);
    for (const part of wordParts.slice(0, -1)) expect(part.endsWith(' ')).toBe(true);
    expect(wordParts.join('')).toBe(words);
  });

  it('cuts hard when there is no boundary in the second half', () => {
    const text = `${'a'.repeat(100)}\n${'b'.repeat(5000)}`;
    const parts = splitText(text);
    expect(parts[0]!.length).toBe(MESSAGE_LIMIT);
    expect(parts.join('')).toBe(text);
  });

  it('never cuts inside an HTML entity', () => {
    const text = `${'a'.repeat(MESSAGE_LIMIT - 2)}&amp;b`;
    const parts = splitText(text);
    expect(parts).toEqual(['a'.repeat(MESSAGE_LIMIT - 2), '&amp;b']);
    const numeric = `${'a'.repeat(MESSAGE_LIMIT - 3)}&#128512;`;
    expect(splitText(numeric)[1]).toBe('&#128512;');
  });

  it('closes and reopens tags so every part is valid HTML', () => {
    const text = `<b>Weekend Crew</b> · Alex\n<i>${'long &amp; winding '.repeat(600)}</i>`;
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(() => parseHtml(part)).not.toThrow();
    }
    expect(parts[1]!.startsWith('<i>')).toBe(true);
    expect(parts[0]!.endsWith('</i>')).toBe(true);
    expect(parts.map((p) => parseHtml(p)).join('')).toBe(parseHtml(text));
  });

  it('leaves tags alone in plain-text mode but still never cuts inside one', () => {
    const text = `${'a'.repeat(10)}<b>${'c'.repeat(20)}`;
    const parts = splitText(text, 12, { html: false });
    expect(parts.join('')).toBe(text);
    expect(parts.some((p) => p.includes('<b>'))).toBe(true);
  });

  it('rejects nonsensical limits', () => {
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});

describe('captions', () => {
  it('keeps a caption within 1024 and returns the rest as a follow-up', () => {
    const caption = 'word '.repeat(400);
    const { caption: first, followUp } = splitCaption(caption);
    expect(first.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(followUp).not.toBeNull();
    expect(first + followUp).toBe(caption);
  });

  it('returns no follow-up when the caption fits', () => {
    expect(splitCaption('short')).toEqual({ caption: 'short', followUp: null });
    expect(splitFirst('a'.repeat(1024), 1024)).toEqual({ first: 'a'.repeat(1024), rest: null });
  });

  it('balances tags across the cut', () => {
    const { caption, followUp } = splitCaption(`<b>${'x '.repeat(800)}</b>`);
    expect(() => parseHtml(caption)).not.toThrow();
    expect(() => parseHtml(followUp!)).not.toThrow();
    expect(followUp!.startsWith('<b>')).toBe(true);
  });
});
