import { describe, expect, it } from 'vitest';
import { splitText, truncate, truncateBytes } from '../../src/bridge/core/split-text.js';
import { parseCommand } from '../../src/bridge/core/commands/index.js';

describe('splitText', () => {
  it('keeps short text whole and splits long text at line or word boundaries', () => {
    expect(splitText('hi')).toEqual(['hi']);
    expect(splitText('')).toEqual(['']);
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    expect(splitText(text)).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const parts = splitText(words, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join(' ')).toBe(words);
  });

  it('never cuts a surrogate pair', () => {
    const emoji = '😀'.repeat(3000);
    const parts = splitText(emoji);
    expect(parts.every((p) => p.length <= 4096 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
    expect(parts.join('')).toBe(emoji);
  });

  it('truncates by characters and by UTF-8 bytes', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncateBytes('ééé', 5)).toBe('éé');
  });
});

describe('parseCommand', () => {
  it('reads /name@bot args', () => {
    expect(parseCommand('/search@igtg_bot hello world')).toEqual({ name: 'search', args: 'hello world' });
    expect(parseCommand('/start')).toEqual({ name: 'start', args: '' });
    expect(parseCommand('not a command')).toBeNull();
  });
});
