import { describe, expect, it } from 'vitest';
import {
  decodeMetaDeep,
  decodeMetaText,
  encodeMetaText,
  NestingTooDeepError,
  stringifyMetaJson,
} from '../../src/archive/decode-meta-text.js';

const ROUND_TRIP = [
  '😂',
  '❤️',
  '👨‍👩‍👧‍👦',
  '👩🏽‍💻',
  '🏳️‍🌈',
  '🇩🇪🇯🇵🇺🇦',
  '👍🏻👍🏼👍🏽👍🏾👍🏿',
  'Grüße aus Köln! Ça va? Привет',
  'Radosław Łódź',
  'こんにちは 你好 안녕하세요',
  'مرحبا بالعالم',
  'שלום עולם',
  'a\u200fb\u200e',
  '\ufeffBOM kept',
  'Sunday vibes ☀️ #köln',
];

describe('decodeMetaText', () => {
  it.each(ROUND_TRIP)('repairs Meta’s encoding of %s exactly', (text) => {
    const stored = encodeMetaText(text);
    expect(stored).not.toBe(text);
    expect(decodeMetaText(stored)).toBe(text);
  });

  it('repairs the real fixture escapes', () => {
    const parsed = JSON.parse('"Zo\\u00c3\\u00ab M\\u00c3\\u00bcller \\u00f0\\u009f\\u0098\\u0082"') as string;
    expect(decodeMetaText(parsed)).toBe('Zoë Müller 😂');
  });

  it.each(['Zoë', 'naïve café', 'ÿ', 'Ålesund', '£5 · ±1 °C', 'señor', 'ASCII only', '', 'ÃŸ is fine'])(
    'never touches already-correct %j',
    (text) => {
      expect(decodeMetaText(text)).toBe(text);
    },
  );

  it.each(ROUND_TRIP)('is idempotent on correct text %s', (text) => {
    expect(decodeMetaText(text)).toBe(text);
    expect(decodeMetaText(decodeMetaText(encodeMetaText(text)))).toBe(text);
  });

  it('leaves invalid UTF-8 byte sequences as they are', () => {
    expect(decodeMetaText('\u00f0\u009f\u0098')).toBe('\u00f0\u009f\u0098');
    expect(decodeMetaText('\u00c3')).toBe('\u00c3');
  });
});

describe('decodeMetaDeep', () => {
  it('repairs every string value, nested, but not keys', () => {
    const value = {
      'k\u00c3\u00a4y': 'Gr\u00c3\u00bc\u00c3\u009fe',
      list: ['\u00f0\u009f\u0098\u0082', 3, null, { deep: ['\u00c3\u00a9'] }],
    };
    decodeMetaDeep(value, 10);
    expect(value).toEqual({ 'k\u00c3\u00a4y': 'Grüße', list: ['😂', 3, null, { deep: ['é'] }] });
  });

  it('refuses nesting beyond the limit', () => {
    const deep = JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) as unknown;
    expect(() => decodeMetaDeep(deep, 64)).toThrow(NestingTooDeepError);
    expect(() => decodeMetaDeep(JSON.parse(`${'['.repeat(10)}${']'.repeat(10)}`), 64)).not.toThrow();
  });
});

describe('stringifyMetaJson', () => {
  it('writes like Python json.dumps(ensure_ascii=True, indent=2)', () => {
    expect(stringifyMetaJson({ a: encodeMetaText('😂'), b: [1] })).toBe(
      '{\n  "a": "\\u00f0\\u009f\\u0098\\u0082",\n  "b": [\n    1\n  ]\n}',
    );
  });
});
