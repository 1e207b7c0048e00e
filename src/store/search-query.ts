// User search syntax, parsed once and translated by each store adapter. The raw text never reaches
// an engine, so no input can produce a syntax error there.
//
// Syntax (Gmail-like): words are ANDed; `"exact phrase"`; `prefix*`; `-excluded` and
// `-"excluded phrase"`; `OR` (upper case) between two terms joins them into one clause and binds
// tighter than the implicit AND, so `a b OR c` means a AND (b OR c). Everything else is text:
// punctuation separates words, unbalanced quotes run to the end, lone operators are ignored, and
// engine keywords such as NEAR, AND, NOT are plain words.

/** A normalized term: lowercase, diacritics removed (see normalizeForSearch). */
export type SearchTerm = { kind: 'word'; text: string; prefix: boolean } | { kind: 'phrase'; words: string[] };

/** Conjunctive normal form: every clause must match (a clause matches when any of its terms does); no excluded term may. */
export interface ParsedSearch {
  clauses: SearchTerm[][];
  exclude: SearchTerm[];
}

/** Lowercase and strip diacritics so `Zoë` and `zoe` compare equal. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** True when a parsed query can match anything: a query of only excluded terms matches nothing. */
export function hasPositiveTerms(parsed: ParsedSearch): boolean {
  return parsed.clauses.length > 0;
}

/**
 * Parses user input into normalized terms (for engines that compare against `normalizeForSearch`
 * text). Never throws; a query without any usable word has no clauses.
 */
export function parseSearchQuery(input: string): ParsedSearch {
  return parseWith(input, normalizeForSearch);
}

/**
 * The same parse, but each word keeps the characters the user typed (case, accents, combining
 * marks). For engines whose tokenizer folds case and diacritics itself (SQLite FTS5 unicode61):
 * NFKD would decompose Hangul and kana and break matches against the engine's own folding.
 */
export function parseSearchQueryVerbatim(input: string): ParsedSearch {
  return parseWith(input, (token) => token);
}

type Item = { kind: 'or' } | { kind: 'term'; negated: boolean; text: string; quoted: boolean; prefix: boolean };

// A word is made of letters, numbers and private-use characters; marks stay attached to their letter.
const SEPARATORS = /[^\p{L}\p{N}\p{M}\p{Co}]+/u;
const SEARCHABLE = /[\p{L}\p{N}\p{Co}]/u;

function lex(input: string): Item[] {
  const items: Item[] = [];
  const text = input.normalize('NFC');
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/u.test(ch)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < text.length && !/\s/u.test(text[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end === -1 ? text.length : end;
      items.push({ kind: 'term', negated, text: text.slice(i + 1, stop), quoted: true, prefix: false });
      i = stop + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '"' && !/\s/u.test(text[j]!)) j += 1;
    const word = text.slice(i, j);
    i = j;
    if (word === 'OR' && !negated) {
      items.push({ kind: 'or' });
      continue;
    }
    items.push({ kind: 'term', negated, text: word, quoted: false, prefix: word.endsWith('*') });
  }
  return items;
}

function tokens(text: string, fold: (token: string) => string): string[] {
  return text
    .split(SEPARATORS)
    .filter((token) => SEARCHABLE.test(token))
    .flatMap((token) => fold(token).split(SEPARATORS))
    .filter((token) => SEARCHABLE.test(token));
}

function toTerm(item: Extract<Item, { kind: 'term' }>, fold: (token: string) => string): SearchTerm | null {
  const words = tokens(item.text, fold);
  if (words.length === 0) return null;
  if (words.length === 1) return { kind: 'word', text: words[0]!, prefix: item.prefix && !item.quoted };
  return { kind: 'phrase', words };
}

function parseWith(input: string, fold: (token: string) => string): ParsedSearch {
  const clauses: SearchTerm[][] = [];
  const exclude: SearchTerm[] = [];
  let joinNext = false;
  let lastWasPositive = false;
  for (const item of lex(typeof input === 'string' ? input : '')) {
    if (item.kind === 'or') {
      joinNext = joinNext || lastWasPositive;
      lastWasPositive = false;
      continue;
    }
    const term = toTerm(item, fold);
    if (!term || item.negated) {
      if (term) exclude.push(term);
      joinNext = false;
      lastWasPositive = false;
      continue;
    }
    const last = clauses[clauses.length - 1];
    if (joinNext && last) last.push(term);
    else clauses.push([term]);
    joinNext = false;
    lastWasPositive = true;
  }
  return { clauses, exclude };
}
