import { describe, expect, it } from 'vitest';
import { escapeHtml, formatHeader, formatMessageHtml, truncateBytes, truncateText } from '../../src/telegram/format.js';
import { graphemes } from '../../src/telegram/graphemes.js';
import { toTelegramReaction } from '../../src/telegram/reactions.js';
import { parseHtml } from '../fakes/telegram/parse-html.js';

describe('escapeHtml', () => {
  it('escapes what parse_mode HTML would read as markup', () => {
    expect(escapeHtml('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('round-trips through the server-side parser', () => {
    const text = '<script>alert("x")</script> & 1 < 2 😀 &#169; &nbsp;';
    expect(parseHtml(escapeHtml(text))).toBe(text);
  });
});

describe('formatHeader', () => {
  it('names thread and sender in a group thread', () => {
    expect(formatHeader({ threadTitle: 'Weekend Crew 🏕️', sender: 'Alex' })).toBe('<b>Weekend Crew 🏕️</b> · Alex');
  });

  it('names only the sender when the thread is the sender or the topic says it', () => {
    expect(formatHeader({ threadTitle: 'Zoë Müller', sender: 'Zoë Müller' })).toBe('<b>Zoë Müller</b>');
    expect(formatHeader({ threadTitle: null, sender: 'Zoë' })).toBe('<b>Zoë</b>');
  });

  it('escapes names and marks message requests', () => {
    const header = formatHeader({ threadTitle: '<Fans & Co>', sender: 'Bob <3', isRequest: true });
    expect(header).toBe('📩 <i>request</i> · <b>&lt;Fans &amp; Co&gt;</b> · Bob &lt;3');
    expect(() => parseHtml(header)).not.toThrow();
  });
});

describe('formatMessageHtml', () => {
  it('puts the escaped body under the header', () => {
    const html = formatMessageHtml('<b>Zoë</b>', 'Grüße <3 & bye');
    expect(html).toBe('<b>Zoë</b>\nGrüße &lt;3 &amp; bye');
    expect(parseHtml(html)).toBe('Zoë\nGrüße <3 & bye');
  });

  it('works without header or body', () => {
    expect(formatMessageHtml(null, 'a<b')).toBe('a&lt;b');
    expect(formatMessageHtml('<b>Zoë</b>', null)).toBe('<b>Zoë</b>');
  });
});

describe('truncation', () => {
  it('cuts between graphemes and adds an ellipsis', () => {
    expect(truncateText('hello world', 20)).toBe('hello world');
    expect(truncateText('hello world', 6)).toBe('hello…');
    expect(truncateText('ab👨‍👩‍👧cd', 6)).toBe('ab…');
  });

  it('keeps callback data within a byte budget without breaking characters', () => {
    const cut = truncateBytes('Zoë 😀😀😀', 8);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8);
    expect(cut).toBe('Zoë ');
  });
});

describe('graphemes', () => {
  it('agrees with Intl.Segmenter on mixed text', () => {
    const text = 'ae\u0301 😀👨‍👩‍👧🇩🇪 line\r\nnext Привет ok\u0600123 a\u200db x\u0308y ✌️ end';
    const expected = Array.from(
      new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
      (s) => s.segment,
    );
    expect(graphemes(text)).toEqual(expected);
  });

  it('agrees with Intl.Segmenter on generated mixtures', () => {
    const pieces = [
      'a',
      ' ',
      '\n',
      '\r',
      '\r\n',
      'e\u0301',
      '😀',
      '👨‍👩‍👧',
      '🇩',
      '🇪',
      '\u200d',
      '\u0600',
      '1',
      'Привет',
      '✌️',
      '\u0308',
      '<',
      '&',
    ];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 1 + random(400) }, () => pieces[random(pieces.length)]).join('');
      expect(graphemes(text)).toEqual(Array.from(segmenter.segment(text), (s) => s.segment));
    }
  });

  it('agrees on long non-ASCII runs across its segmentation windows', () => {
    const text = '👨‍👩‍👧é🇩🇪'.repeat(300);
    const expected = Array.from(
      new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
      (s) => s.segment,
    );
    expect(graphemes(text)).toEqual(expected);
  });
});

describe('toTelegramReaction', () => {
  it('maps Instagram reactions onto the emoji bots may use', () => {
    expect(toTelegramReaction('❤️')).toBe('❤');
    expect(toTelegramReaction('👍')).toBe('👍');
    expect(toTelegramReaction('✅')).toBeNull();
  });
});
