import { describe, expect, it } from 'vitest';
import {
  hasPositiveTerms,
  normalizeForSearch,
  parseSearchQuery,
  parseSearchQueryVerbatim,
} from '../../src/store/search-query.js';

const word = (text: string, prefix = false) => ({ kind: 'word', text, prefix }) as const;
const phrase = (...words: string[]) => ({ kind: 'phrase', words }) as const;

describe('parseSearchQuery', () => {
  it('ANDs words, normalizing case and diacritics', () => {
    expect(parseSearchQuery('Zoë  CAFÉ')).toEqual({ clauses: [[word('zoe')], [word('cafe')]], exclude: [] });
  });

  it('reads "exact phrases", prefix* and -excluded terms', () => {
    expect(parseSearchQuery('"Quick Brown fox" piz* -bad -"not this"')).toEqual({
      clauses: [[phrase('quick', 'brown', 'fox')], [word('piz', true)]],
      exclude: [word('bad'), phrase('not', 'this')],
    });
  });

  it('binds OR tighter than the implicit AND', () => {
    expect(parseSearchQuery('a b OR c')).toEqual({ clauses: [[word('a')], [word('b'), word('c')]], exclude: [] });
    expect(parseSearchQuery('a OR b OR "c d" e')).toEqual({
      clauses: [[word('a'), word('b'), phrase('c', 'd')], [word('e')]],
      exclude: [],
    });
    expect(parseSearchQuery('a or b').clauses).toHaveLength(3);
    expect(parseSearchQuery('a OR OR b')).toEqual({ clauses: [[word('a'), word('b')]], exclude: [] });
  });

  it('ignores lone and dangling operators', () => {
    expect(parseSearchQuery('OR a OR')).toEqual({ clauses: [[word('a')]], exclude: [] });
    expect(parseSearchQuery('- * ** -- a')).toEqual({ clauses: [[word('a')]], exclude: [] });
    expect(parseSearchQuery('a OR -b')).toEqual({ clauses: [[word('a')]], exclude: [word('b')] });
    expect(parseSearchQuery('-a OR b')).toEqual({ clauses: [[word('b')]], exclude: [word('a')] });
  });

  it('runs an unbalanced quote to the end of the input', () => {
    expect(parseSearchQuery('x "a b')).toEqual({ clauses: [[word('x')], [phrase('a', 'b')]], exclude: [] });
    expect(parseSearchQuery('"')).toEqual({ clauses: [], exclude: [] });
    expect(parseSearchQuery('a"b c"')).toEqual({ clauses: [[word('a')], [phrase('b', 'c')]], exclude: [] });
  });

  it('splits words at punctuation like the full-text tokenizer does', () => {
    expect(parseSearchQuery("don't e-mail (x) y:z")).toEqual({
      clauses: [[phrase('don', 't')], [phrase('e', 'mail')], [word('x')], [phrase('y', 'z')]],
      exclude: [],
    });
    expect(parseSearchQuery('foo*bar')).toEqual({ clauses: [[phrase('foo', 'bar')]], exclude: [] });
  });

  it('treats engine keywords as words', () => {
    expect(parseSearchQuery('NEAR AND NOT')).toEqual({
      clauses: [[word('near')], [word('and')], [word('not')]],
      exclude: [],
    });
    expect(parseSearchQuery('-OR')).toEqual({ clauses: [], exclude: [word('or')] });
  });

  it('drops terms without letters or digits (emoji, symbols)', () => {
    expect(parseSearchQuery('🙂 👨‍👩‍👧‍👦 🇫🇷 hello ™ →')).toEqual({ clauses: [[word('hello')]], exclude: [] });
    expect(parseSearchQuery('a 🙂 OR b')).toEqual({ clauses: [[word('a')], [word('b')]], exclude: [] });
  });

  it('never throws and reports queries that cannot match', () => {
    const inputs = [
      '',
      ' ',
      '"',
      '""',
      '-',
      '-""',
      'OR',
      '\u0000',
      '\u0301',
      '*',
      '(((',
      'x'.repeat(100_000),
      '"'.repeat(999),
    ];
    for (const input of inputs) expect(() => parseSearchQuery(input)).not.toThrow();
    expect(hasPositiveTerms(parseSearchQuery('-a -b'))).toBe(false);
    expect(hasPositiveTerms(parseSearchQuery('a -b'))).toBe(true);
    expect(parseSearchQuery(undefined as unknown as string)).toEqual({ clauses: [], exclude: [] });
  });

  it('keeps scripts with combining marks and CJK', () => {
    expect(parseSearchQuery('日本語 مرحبا').clauses).toEqual([[word('日本語')], [word('مرحبا')]]);
    expect(parseSearchQuery('नमस्ते').clauses).toHaveLength(1);
  });
});

describe('parseSearchQueryVerbatim', () => {
  it('parses the same syntax but keeps the words as typed', () => {
    expect(parseSearchQueryVerbatim('Zoë b OR "Café au" -Lait*')).toEqual({
      clauses: [[word('Zoë')], [word('b'), phrase('Café', 'au')]],
      exclude: [word('Lait', true)],
    });
    expect(parseSearchQueryVerbatim('데이터 नमस्ते').clauses).toEqual([[word('데이터')], [word('नमस्ते')]]);
  });
});

describe('normalizeForSearch', () => {
  it('lowercases and strips diacritics', () => {
    expect(normalizeForSearch('Zoë MÜLLER Ça')).toBe('zoe muller ca');
  });
});
