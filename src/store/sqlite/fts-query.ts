// ParsedSearch -> FTS5 MATCH expression. Every token is double-quoted, so no user text is ever read
// as FTS5 syntax (operators, column filters, NEAR, ^, parentheses).
import type { ParsedSearch, SearchTerm } from '../search-query.js';

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function termExpression(term: SearchTerm): string {
  if (term.kind === 'phrase') return quote(term.words.join(' '));
  return term.prefix ? `${quote(term.text)}*` : quote(term.text);
}

function anyOf(terms: SearchTerm[]): string {
  return `(${terms.map(termExpression).join(' OR ')})`;
}

/** The MATCH string, or null when the query has no positive term (and so matches nothing). */
export function toFtsMatch(parsed: ParsedSearch): string | null {
  if (parsed.clauses.length === 0) return null;
  const required = parsed.clauses.map(anyOf).join(' AND ');
  if (parsed.exclude.length === 0) return required;
  return `(${required}) NOT ${anyOf(parsed.exclude)}`;
}
