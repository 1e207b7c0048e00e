// Translates a parsed search into a MongoDB filter over the `tokens` (distinct words, indexed),
// `searchText` and `shareSearchText` (all words of a column, space-joined) fields of a message.
// User text reaches the server only as exact token values or as escaped regex literals.
import type { Filter } from 'mongodb';
import type { MatchPlan, MatchTerm } from '../search-terms.js';
import type { MessageDoc } from './documents.js';

/**
 * Escapes every regex syntax character so the pattern matches `text` literally, in PCRE (the
 * server) and in JS with or without the `u` flag. NUL is dropped: the server rejects it in a regex.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/\0/g, '');
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
