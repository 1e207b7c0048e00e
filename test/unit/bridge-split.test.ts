import { describe, expect, it } from 'vitest';
import { splitPlain, truncate, truncateBytes } from '../../src/bridge/core/split-text.js';
import { parseCommand } from '../../src/bridge/core/commands/index.js';

describe('splitPlain (the Telegram splitter, plain text)', () => {
  it('keeps short text whole, gives one part for empty text, splits at line or word boundaries', () => {
    expect(splitPlain('hi')).toEqual(['hi']);
    expect(splitPlain('')).toEqual(['']);
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    const lines = splitPlain(text);
    expect(lines).toHaveLength(2);
    expect(lines.join('')).toBe(text);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const parts = splitPlain(words, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join('')).toBe(words);
  });

  it('treats markup as text and never cuts a grapheme', () => {
    const tags = '<b>x</b> &amp; '.repeat(600);
    expect(splitPlain(tags).join('')).toBe(tags);
    const flags = '🇩🇪'.repeat(3000);
    const parts = splitPlain(flags);
    expect(parts.every((p) => p.length <= 4096 && p.length % 4 === 0)).toBe(true);
    expect(parts.join('')).toBe(flags);
  });

  it('truncates by characters and by UTF-8 bytes without splitting a grapheme', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab👍🏽cd', 5)).toBe('ab…');
    expect(truncateBytes('ééé', 5)).toBe('éé');
    expect(truncateBytes('a👍🏽', 5)).toBe('a');
  });
});

describe('parseCommand', () => {
  it('reads /name@bot args', () => {
    expect(parseCommand('/search@IGTG_bot hello world')).toEqual({
      name: 'search',
      args: 'hello world',
      botName: 'igtg_bot',
    });
    expect(parseCommand('/start')).toEqual({ name: 'start', args: '', botName: null });
    expect(parseCommand('not a command')).toBeNull();
  });
});
