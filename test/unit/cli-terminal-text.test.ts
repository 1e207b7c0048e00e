import { describe, expect, it } from 'vitest';
import { terminalLine, terminalLines, terminalSnippet } from '../../src/cli/format/terminal-text.js';

describe('text others wrote, on a terminal', () => {
  it('shows control characters instead of obeying them', () => {
    expect(terminalLine('a\u001b]0;owned\u0007b')).toBe('a␛]0;owned␇b');
    expect(terminalLine('x\u001b[2K\u001b[1Gy')).toBe('x␛[2K␛[1Gy');
    expect(terminalLine('tab\there')).toBe('tab here');
    expect(terminalLine('c1\u009b31m del\u007f')).toBe('c1\ufffd31m del␡');
    expect(terminalLine('two\nlines')).toBe('two␊lines');
  });

  it('shows bidi overrides, embeddings and isolates instead of letting them reorder the line', () => {
    expect(terminalLine('invoice\u202egnp.exe')).toBe('invoice\ufffdgnp.exe');
    expect(terminalLine('a\u202ab\u202cc\u2066d\u2069')).toBe('a\ufffdb\ufffdc\ufffdd\ufffd');
    expect(terminalSnippet('\u0002hit\u0003\u202e')).toBe('\u0002hit\u0003\ufffd');
    // Marks reorder nothing by themselves and stay.
    expect(terminalLine('\u200fمرحبا\u200e')).toBe('\u200fمرحبا\u200e');
  });

  it('keeps real text exactly', () => {
    for (const text of ['Zoë Müller 👨‍👩‍👧‍👦', 'مرحبا שלום', 'こんにちは', '🇩🇪 ❤️']) expect(terminalLine(text)).toBe(text);
  });

  it('splits lines on line breaks, and shows a lone carriage return', () => {
    expect(terminalLines('one\r\ntwo\nthree\rover')).toEqual(['one', 'two', 'three␍over']);
  });

  it('keeps the match markers of a snippet', () => {
    expect(terminalSnippet('\u0002hit\u0003 \u001b[8mhidden')).toBe('\u0002hit\u0003 ␛[8mhidden');
  });
});
