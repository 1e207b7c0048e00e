// The MongoDB adapter ranks and cuts snippets in JS the way SQLite's FTS5 does; this compares the two
// directly against an in-memory FTS5 table (same tokenizer settings as the SQLite adapter).
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bm25Score, inverseDocumentFrequency } from '../../src/store/mongo/search-rank.js';
import { SNIPPET_TOKENS, buildSnippet } from '../../src/store/search-snippet.js';
import { planSearch, termPositions, type MatchTerm } from '../../src/store/search-terms.js';
import { searchTokens } from '../../src/store/search-tokens.js';
import { parseSearchQuery } from '../../src/store/search-query.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../src/store/store.js';

const LONG =
  'We walked for hours along the river. The weather was grey: nobody wanted pizza at first. ' +
  'Then Max found a tiny place with wood-fired pizza and everyone changed their mind. ' +
  'Later that night we talked about the trip to Lisbon, the quick brown fox of a tram driver, and pizza again.';

const ROWS: Array<[string | null, string | null]> = [
  ['apple banana', null],
  ['apple cherry', 'a post about apple pie'],
  ['banana cherry', null],
  ['pizza pizza pizza tonight', null],
  ['I was thinking that maybe later we could get some pizza or something else for dinner if you are hungry', null],
  ['the quick brown fox jumps', null],
  ['the brown quick fox sleeps over the quick brown fox', null],
  [LONG, null],
  [null, 'shared: the quick brown fox reel, with pizza'],
  ['Zoë said the café was naïve. Café culture!', 'cafe'],
  [
    'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive apple',
    null,
  ],
];

const db = new Database(':memory:');
db.exec("CREATE VIRTUAL TABLE f USING fts5(text, share_text, tokenize = 'unicode61 remove_diacritics 2')");
const insert = db.prepare('INSERT INTO f (rowid, text, share_text) VALUES (?, ?, ?)');
ROWS.forEach(([text, share], index) => insert.run(index + 1, text, share));
afterAll(() => db.close());

function ftsTerm(term: MatchTerm): string {
  if (term.kind === 'word') return `"${term.token}"${term.prefix ? '*' : ''}`;
  return `"${term.tokens.join(' ')}"${term.prefix ? '*' : ''}`;
}

function terms(query: string): MatchTerm[] {
  return planSearch(parseSearchQuery(query)).clauses.flat();
}

function columns(row: [string | null, string | null]): string[][] {
  return [searchTokens(row[0] ?? ''), searchTokens(row[1] ?? '')];
}

const QUERIES = [
  'pizza',
  'apple',
  'quick brown',
  '"quick brown"',
  'piz*',
  'fox OR pizza',
  'cafe',
  'apple cherry',
  'the',
];

describe('mongo search ranking and snippets match FTS5', () => {
  for (const query of QUERIES) {
    it(`agrees with bm25() and snippet() for ${query}`, () => {
      const ts = terms(query);
      const match = ts.map(ftsTerm).join(' AND ');
      const rows = db
        .prepare(
          `SELECT rowid, -bm25(f, 1.0, 0.5) AS score, snippet(f, -1, ?, ?, '…', ?) AS snippet FROM f WHERE f MATCH ? ORDER BY rowid`,
        )
        .all(SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_TOKENS, match) as Array<{
        rowid: number;
        score: number;
        snippet: string;
      }>;
      expect(rows.length).toBeGreaterThan(0);

      const searchable = ROWS.filter(([text, share]) => text !== null || share !== null);
      const words = searchable.reduce((sum, row) => sum + columns(row).flat().length, 0);
      const idf = ts.map((term) =>
        inverseDocumentFrequency(
          searchable.length,
          searchable.filter((row) => columns(row).some((col) => termPositions(col, term).length > 0)).length,
        ),
      );
      for (const row of rows) {
        const source = ROWS[row.rowid - 1]!;
        const score = bm25Score(columns(source), ts, { rows: searchable.length, words, idf });
        expect(score).toBeCloseTo(row.score, 9);
        expect(buildSnippet([source[0] ?? '', source[1] ?? ''], ts)).toBe(row.snippet);
      }
    });
  }

  it('ranks repeated words and short messages first', () => {
    const ts = terms('pizza');
    const stats = { rows: 10, words: 100, idf: [inverseDocumentFrequency(10, 2)] };
    const many = bm25Score([searchTokens('pizza pizza pizza tonight'), []], ts, stats);
    const once = bm25Score([searchTokens('we could get some pizza or something else for dinner'), []], ts, stats);
    const shared = bm25Score([[], searchTokens('pizza pizza pizza tonight')], ts, stats);
    expect(many).toBeGreaterThan(once);
    expect(many).toBeGreaterThan(shared);
  });

  it('marks the written form of a word found through its normalized form', () => {
    expect(buildSnippet(['Zoë said hi', ''], terms('zoe'))).toBe(`${SNIPPET_OPEN}Zoë${SNIPPET_CLOSE} said hi`);
  });
});
