// Translates a parsed search into a MongoDB filter over the `tokens` (distinct words, indexed),
// `searchText` and `shareSearchText` (all words of a column, space-joined) fields of a message.
// User text reaches the server only as exact token values or as escaped regex literals.
import type { Filter } from 'mongodb';
import type { ParsedSearch, SearchTerm } from '../search-query.js';
import type { MessageDoc } from './documents.js';
import { searchTokens } from './search-tokens.js';

/** A search term re-split into index words (`e-mail` becomes the phrase `e mail`). */
export type MatchTerm =
  { kind: 'word'; token: string; prefix: boolean } | { kind: 'phrase'; tokens: string[]; prefix: boolean };

export interface MatchPlan {
  /** Every clause must match; a clause matches when any of its terms does. */
  clauses: MatchTerm[][];
  exclude: MatchTerm[];
}

/**
 * Escapes every regex syntax character so the pattern matches `text` literally, in PCRE (the
 * server) and in JS with or without the `u` flag. NUL is dropped: the server rejects it in a regex.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/\0/g, '');
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

export function termFilter(term: MatchTerm): Filter<MessageDoc> {
  if (term.kind === 'word') {
    return term.prefix ? { tokens: { $regex: `^${escapeRegex(term.token)}` } } : { tokens: term.token };
  }
  const last = term.tokens.length - 1;
  const whole = term.prefix ? term.tokens.slice(0, last) : term.tokens;
  const pattern = escapeRegex(` ${term.tokens.join(' ')}${term.prefix ? '' : ' '}`);
  // The $all on indexed words narrows the candidates before the unindexed phrase regex runs. A phrase
  // matches within one column, as in FTS5.
  return {
    $and: [
      { tokens: { $all: whole } },
      { $or: [{ searchText: { $regex: pattern } }, { shareSearchText: { $regex: pattern } }] },
    ],
  };
}

/** The text part of a search; null when the plan has no positive clause (nothing can match). */
export function planFilter(plan: MatchPlan): Filter<MessageDoc> | null {
  if (plan.clauses.length === 0) return null;
  const filter: Filter<MessageDoc> = {
    $and: plan.clauses.map((clause) =>
      clause.length === 1 ? termFilter(clause[0]!) : { $or: clause.map(termFilter) },
    ),
  };
  if (plan.exclude.length > 0) filter.$nor = plan.exclude.map(termFilter);
  return filter;
}
