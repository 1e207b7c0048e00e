// User search syntax, parsed once and translated by each store adapter. The raw text never reaches
// an engine, so no input can produce a syntax error there.

/** A normalized term: lowercase, diacritics removed (see normalizeForSearch). */
export type SearchTerm = { kind: 'word'; text: string; prefix: boolean } | { kind: 'phrase'; words: string[] };

/** Conjunctive normal form: every clause must match (a clause matches when any of its terms does); no excluded term may. */
export interface ParsedSearch {
  clauses: SearchTerm[][];
  exclude: SearchTerm[];
}

/** Lowercase and strip diacritics so `Zoë` and `zoe` compare equal. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
