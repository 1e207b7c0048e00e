// Words as the search sees them: runs of letters and digits, lowercased, diacritics removed —
// the same split SQLite's unicode61 tokenizer makes, so both adapters match the same messages.
import { normalizeForSearch } from './search-query.js';

/** A word of the original text: where it is, and its normalized form. */
export interface TokenSpan {
  start: number;
  end: number;
  norm: string;
}

// Marks are kept inside a raw word so a decomposed `e\u0308` stays one word until normalized.
const RAW_WORD = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const NORM_WORD = /[\p{L}\p{N}\p{Co}]+/gu;

export function tokenSpans(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const raw of text.matchAll(RAW_WORD)) {
    const start = raw.index;
    const end = start + raw[0].length;
    for (const piece of normalizeForSearch(raw[0]).matchAll(NORM_WORD)) {
      spans.push({ start, end, norm: piece[0] });
    }
  }
  return spans;
}

/** The normalized words of a text, in order, repeats kept. */
export function searchTokens(text: string): string[] {
  return tokenSpans(text).map((span) => span.norm);
}

/**
 * Words joined by single spaces with a space at both ends, so a phrase is a literal substring
 * (` big red dog `) and the server regex needs no Unicode classes or word boundaries.
 */
export function joinTokens(tokens: readonly string[]): string {
  return tokens.length === 0 ? '' : ` ${tokens.join(' ')} `;
}
