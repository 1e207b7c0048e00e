// Search terms as both adapters' JS code sees them: each term of a parsed query re-split into the
// index's words (search-tokens.ts), and where such a term occurs in a text's words. Used for
// MongoDB's filters and ranking and for the snippets of both stores.
import type { ParsedSearch, SearchTerm } from './search-query.js';
import { searchTokens } from './search-tokens.js';

/** A search term re-split into index words (`e-mail` becomes the phrase `e mail`). */
export type MatchTerm =
  { kind: 'word'; token: string; prefix: boolean } | { kind: 'phrase'; tokens: string[]; prefix: boolean };

export interface MatchPlan {
  /** Every clause must match; a clause matches when any of its terms does. */
  clauses: MatchTerm[][];
  exclude: MatchTerm[];
}

export function toMatchTerm(term: SearchTerm): MatchTerm | null {
  const tokens = term.kind === 'word' ? searchTokens(term.text) : term.words.flatMap((word) => searchTokens(word));
  const prefix = term.kind === 'word' && term.prefix;
  if (tokens.length === 0) return null;
  if (tokens.length === 1) return { kind: 'word', token: tokens[0]!, prefix };
  return { kind: 'phrase', tokens, prefix };
}

/** Drops terms with no words in them and clauses left empty by that. */
export function planSearch(parsed: ParsedSearch): MatchPlan {
  const clauses = parsed.clauses
    .map((clause) => clause.map(toMatchTerm).filter((term): term is MatchTerm => term !== null))
    .filter((clause) => clause.length > 0);
  const exclude = parsed.exclude.map(toMatchTerm).filter((term): term is MatchTerm => term !== null);
  return { clauses, exclude };
}

export function wordMatches(word: string, token: string, prefix: boolean): boolean {
  return prefix ? word.startsWith(token) : word === token;
}

/** Positions at which `term` starts in `words`. */
export function termPositions(words: readonly string[], term: MatchTerm): number[] {
  const positions: number[] = [];
  if (term.kind === 'word') {
    words.forEach((word, i) => {
      if (wordMatches(word, term.token, term.prefix)) positions.push(i);
    });
    return positions;
  }
  const last = term.tokens.length - 1;
  for (let i = 0; i + last < words.length; i++) {
    const matches = term.tokens.every((token, k) =>
      k === last ? wordMatches(words[i + k]!, token, term.prefix) : words[i + k] === token,
    );
    if (matches) positions.push(i);
  }
  return positions;
}

export function termSize(term: MatchTerm): number {
  return term.kind === 'word' ? 1 : term.tokens.length;
}
