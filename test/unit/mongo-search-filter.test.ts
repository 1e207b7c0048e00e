// The ParsedSearch -> MongoDB filter translation, checked by evaluating the filters in JS over
// documents built exactly as the adapter stores them (no server needed).
import { describe, expect, it } from 'vitest';
import { messageToFields, type MessageFields } from '../../src/store/mongo/message-fields.js';
import { escapeRegex, planFilter, termFilter } from '../../src/store/mongo/search-filter.js';
import { planSearch, toMatchTerm } from '../../src/store/search-terms.js';
import { parseSearchQuery } from '../../src/store/search-query.js';
import { message } from '../store/fixtures.js';

type Doc = Record<string, unknown>;

/** Evaluates the subset of the query language the adapter's search filters use. */
function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$and') return (condition as Doc[]).every((f) => matches(doc, f));
    if (field === '$or') return (condition as Doc[]).some((f) => matches(doc, f));
    if (field === '$nor') return !(condition as Doc[]).some((f) => matches(doc, f));
    const value = doc[field];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (condition !== null && typeof condition === 'object') {
      const operators = condition as Doc;
      return Object.entries(operators).every(([operator, operand]) => {
        if (operator === '$regex') {
          const regex = new RegExp(operand as string, 'u');
          return values.some((v) => typeof v === 'string' && regex.test(v));
        }
        if (operator === '$all') return (operand as unknown[]).every((x) => values.includes(x));
        throw new Error(`operator ${operator} not expected in a search filter`);
      });
    }
    return values.includes(condition);
  });
}

function doc(id: string, text: string | null, shareText: string | null = null): MessageFields {
  const share = shareText === null ? null : { url: null, text: shareText, owner: null };
  return messageToFields(message('t1', id, { sentAt: 0, text, share }));
}

// The search contract's corpus (test/store/contract-search.ts).
const DOCS = [
  doc('fruit1', 'apple banana'),
  doc('fruit2', 'apple cherry'),
  doc('fruit3', 'banana cherry'),
  doc('fruit4', 'apple'),
  doc('fox1', 'the quick brown fox jumps'),
  doc('fox2', 'the brown quick fox sleeps'),
  doc('pizza1', 'pizza pizza pizza tonight'),
  doc(
    'pizza2',
    'I was thinking that maybe later we could get some pizza or something else for dinner if you are hungry',
  ),
  doc('accents', 'Zoë said the café was naïve'),
  doc('plain', 'we met at the cafe near the station'),
  doc('keywords', 'NEAR the AND gate NOT here OR there'),
  doc('shared', null, 'a marvellous sunset, big red dog'),
  doc('split', 'big red', 'dog'),
];

function ids(text: string): string[] | null {
  const filter = planFilter(planSearch(parseSearchQuery(text)));
  if (!filter) return null;
  return DOCS.filter((d) => matches(d as unknown as Doc, filter as Doc))
    .map((d) => d.id)
    .sort();
}

describe('mongo search filter', () => {
  it('matches words, case and diacritics insensitively', () => {
    expect(ids('apple banana')).toEqual(['fruit1']);
    expect(ids('APPLE')).toEqual(['fruit1', 'fruit2', 'fruit4']);
    expect(ids('ZOË')).toEqual(['accents']);
    expect(ids('naive')).toEqual(['accents']);
    expect(ids('café')).toEqual(['accents', 'plain']);
  });

  it('supports phrases, prefixes, exclusions and OR like the contract says', () => {
    expect(ids('"quick brown"')).toEqual(['fox1']);
    expect(ids('quick brown')).toEqual(['fox1', 'fox2']);
    expect(ids('piz*')).toEqual(['pizza1', 'pizza2']);
    expect(ids('piz')).toEqual([]);
    expect(ids('apple -banana')).toEqual(['fruit2', 'fruit4']);
    expect(ids('apple -"apple cherry"')).toEqual(['fruit1', 'fruit4']);
    expect(ids('banana OR cherry')).toEqual(['fruit1', 'fruit2', 'fruit3']);
    expect(ids('apple banana OR cherry')).toEqual(['fruit1', 'fruit2']);
    expect(ids('apple banana or cherry')).toEqual([]);
    expect(ids('fox "brown quick')).toEqual(['fox2']);
    expect(ids('NEAR gate')).toEqual(['keywords']);
    expect(ids('(apple) banana!')).toEqual(['fruit1']);
  });

  it('searches share text, and a phrase never spans the text and the share text', () => {
    expect(ids('sunset')).toEqual(['shared']);
    expect(ids('"red dog"')).toEqual(['shared']);
    expect(ids('red dog')).toEqual(['shared', 'split']);
  });

  it('matches phrases on whole words only', () => {
    expect(ids('"rown fox"')).toEqual([]);
    expect(ids('"quick brown fo"')).toEqual([]);
    expect(ids('"the quick"')).toEqual(['fox1']);
  });

  it('has no filter when nothing positive is left', () => {
    for (const text of ['', '-apple', '🙂', '"" -banana', 'OR', '*']) expect(ids(text)).toBeNull();
  });

  it('builds indexable conditions: exact token, anchored prefix, words before the phrase regex', () => {
    expect(termFilter({ kind: 'word', token: 'apple', prefix: false })).toEqual({ tokens: 'apple' });
    expect(termFilter({ kind: 'word', token: 'app', prefix: true })).toEqual({ tokens: { $regex: '^app' } });
    expect(termFilter({ kind: 'phrase', tokens: ['big', 'red'], prefix: false })).toEqual({
      $and: [
        { tokens: { $all: ['big', 'red'] } },
        { $or: [{ searchText: { $regex: ' big red ' } }, { shareSearchText: { $regex: ' big red ' } }] },
      ],
    });
    expect(toMatchTerm({ kind: 'word', text: 'e-mail', prefix: true })).toEqual({
      kind: 'phrase',
      tokens: ['e', 'mail'],
      prefix: true,
    });
    expect(toMatchTerm({ kind: 'word', text: '!!!', prefix: false })).toBeNull();
  });
});

const HOSTILE = [
  '.*',
  '[a-z]+',
  '(a|b)*c',
  '^$',
  '\\',
  '\\d+',
  'a{1,99999}',
  '(?=x)',
  '$where',
  '{"$gt": ""}',
  "'; DROP TABLE messages; --",
  '\u0000',
  'a\u0000b',
  '/x/i',
  'a-b',
  '#comment',
  '?+*',
];

describe('mongo regex escaping', () => {
  it('makes every hostile string match itself literally and nothing else', () => {
    for (const text of HOSTILE) {
      const pattern = escapeRegex(text);
      for (const flags of ['', 'u']) {
        const regex = new RegExp(`^${pattern}$`, flags);
        expect(regex.test(text.replaceAll('\u0000', ''))).toBe(true);
        expect(regex.test(`${text}x`)).toBe(false);
      }
      expect(pattern).not.toContain('\u0000');
    }
    expect(escapeRegex('a.b')).toBe('a\\.b');
    expect(escapeRegex('plain words')).toBe('plain words');
  });

  it('only ever sends escaped literals or bare tokens for hostile queries', () => {
    const queries = [
      ...HOSTILE,
      'x'.repeat(5000),
      Array.from({ length: 300 }, () => '"').join('apple'),
      'a*b*',
      '*apple',
    ];
    for (const text of queries) {
      const filter = planFilter(planSearch(parseSearchQuery(text)));
      const regexes = [...JSON.stringify(filter ?? {}).matchAll(/"\$regex":"((?:[^"\\]|\\.)*)"/g)].map(
        (m) => JSON.parse(`"${m[1]}"`) as string,
      );
      for (const regex of regexes) {
        // Only spaces, word characters and the ^ anchor: nothing the engine could read as syntax.
        expect(regex).toMatch(/^\^?[ \p{L}\p{N}\p{Co}]*$/u);
        expect(() => new RegExp(regex, 'u')).not.toThrow();
      }
      if (filter) expect(() => DOCS.filter((d) => matches(d as unknown as Doc, filter as Doc))).not.toThrow();
    }
  });
});
