// Relevance as SQLite's FTS5 bm25() computes it (k1 = 1.2, b = 0.75, IDF floored at 1e-6), so both
// stores rank alike: a term's frequency is summed over the columns with their weights (text 1.0,
// share text 0.5), the document length is the words of both columns, and the row count, word total
// and per-term hit counts come from the whole collection (see search.ts).
import { termPositions, type MatchTerm } from '../search-terms.js';

const K1 = 1.2;
const B = 0.75;

/** Column weights, in column order: message text, then share text. */
export const COLUMN_WEIGHTS = [1.0, 0.5] as const;

/** FTS5's IDF of a term found in `hits` of `rows` rows. */
export function inverseDocumentFrequency(rows: number, hits: number): number {
  const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

export interface RankStats {
  /** Searchable rows in the store. */
  rows: number;
  /** Words in all searchable rows. */
  words: number;
  /** IDF of each term, in term order. */
  idf: number[];
}

/** The bm25 score of one document (its words per column); higher is better (FTS5 negated). */
export function bm25Score(
  columns: ReadonlyArray<readonly string[]>,
  terms: readonly MatchTerm[],
  stats: RankStats,
): number {
  const avgLength = stats.rows > 0 && stats.words > 0 ? stats.words / stats.rows : 1;
  const length = columns.reduce((sum, words) => sum + words.length, 0);
  const norm = K1 * (1 - B + (B * length) / avgLength);
  return terms.reduce((score, term, t) => {
    const freq = columns.reduce(
      (sum, words, c) => sum + (COLUMN_WEIGHTS[c] ?? 1) * termPositions(words, term).length,
      0,
    );
    return score + ((stats.idf[t] ?? 0) * (freq * (K1 + 1))) / (freq + norm);
  }, 0);
}
