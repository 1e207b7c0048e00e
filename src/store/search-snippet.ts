// Snippets cut as SQLite's FTS5 snippet(table, -1, OPEN, CLOSE, '…', 24) cuts them: the column and
// window with the most distinct matched terms (sentence starts preferred), matched words (a phrase
// as one span) between SNIPPET_OPEN and SNIPPET_CLOSE, `…` where the text was cut.
import { SNIPPET_CLOSE, SNIPPET_OPEN } from './store.js';
import { termPositions, termSize, type MatchTerm } from './search-terms.js';
import { tokenSpans, type TokenSpan } from './search-tokens.js';

export const SNIPPET_TOKENS = 24;
const ELLIPSIS = '…';

interface Instance {
  term: number;
  pos: number;
  size: number;
}

interface Column {
  text: string;
  spans: TokenSpan[];
  instances: Instance[];
}

function columnOf(text: string, terms: readonly MatchTerm[]): Column {
  const spans = tokenSpans(text);
  const words = spans.map((span) => span.norm);
  const instances = terms
    .flatMap((term, t) => termPositions(words, term).map((pos) => ({ term: t, pos, size: termSize(term) })))
    .sort((a, b) => a.pos - b.pos || a.term - b.term);
  return { text, spans, instances };
}

/** Word positions that start a sentence: the first word, and any after `.` or `:` and white space. */
function sentenceStarts(column: Column): number[] {
  const starts: number[] = [];
  column.spans.forEach((span, pos) => {
    if (pos === 0) {
      starts.push(0);
      return;
    }
    let i = span.start - 1;
    while (i >= 0 && ' \t\n\r'.includes(column.text[i]!)) i--;
    if (i !== span.start - 1 && i >= 0 && (column.text[i] === '.' || column.text[i] === ':')) starts.push(pos);
  });
  return starts;
}

/** FTS5's fts5SnippetScore: 1000 per distinct term in the window, 1 per repeat; and where to start. */
function windowScore(column: Column, from: number, size: number): { score: number; start: number } {
  const seen = new Set<number>();
  let score = 0;
  let first = -1;
  let last = 0;
  for (const instance of column.instances) {
    if (instance.pos < from || instance.pos >= from + size) continue;
    score += seen.has(instance.term) ? 1 : 1000;
    seen.add(instance.term);
    if (first < 0) first = instance.pos;
    last = instance.pos + instance.size;
  }
  let start = first - Math.trunc((size - (last - first)) / 2);
  if (start + size > column.spans.length) start = column.spans.length - size;
  if (start < 0) start = 0;
  return { score, start };
}

/** Overlapping instances merged into [start, end] word ranges, in order. */
function coalesce(instances: readonly Instance[]): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  for (const instance of instances) {
    const end = instance.pos + instance.size - 1;
    const previous = ranges[ranges.length - 1];
    if (previous && instance.pos <= previous.end) previous.end = Math.max(previous.end, end);
    else ranges.push({ start: instance.pos, end });
  }
  return ranges;
}

/** FTS5's highlight pass over the words [rangeStart, rangeEnd] of a column. */
function highlight(column: Column, rangeStart: number, rangeEnd: number): string {
  const { text, spans } = column;
  const ranges = coalesce(column.instances);
  let next = 0;
  const current = () => ranges[next] ?? { start: -1, end: -1 };
  while (current().start >= 0 && current().start < rangeStart) next++;

  let out = rangeStart > 0 ? ELLIPSIS : '';
  let offset = 0;
  let open = false;
  spans.forEach((span, pos) => {
    if (pos < rangeStart || pos > rangeEnd) return;
    if (rangeStart > 0 && pos === rangeStart) offset = span.start;
    const phrase = current();
    if (open && (pos <= phrase.start || phrase.start < 0) && span.start > offset) {
      out += SNIPPET_CLOSE;
      open = false;
    }
    if (pos === phrase.start && !open) {
      out += text.slice(offset, span.start) + SNIPPET_OPEN;
      offset = span.start;
      open = true;
    }
    if (pos === phrase.end) {
      if (!open) {
        out += SNIPPET_OPEN;
        open = true;
      }
      out += text.slice(offset, span.end);
      offset = span.end;
      next++;
    }
    if (pos === rangeEnd) {
      if (open) {
        const after = current();
        if (after.start >= 0 && pos >= after.start) {
          out += text.slice(offset, span.end);
          offset = span.end;
        }
        out += SNIPPET_CLOSE;
        open = false;
      }
      out += text.slice(offset, span.end);
      offset = span.end;
    }
  });
  if (open) out += SNIPPET_CLOSE;
  out += rangeEnd >= spans.length - 1 ? text.slice(offset) : ELLIPSIS;
  return out;
}

/** The snippet of a message with columns [text, share text] for the positive terms of a search. */
export function buildSnippet(
  columnTexts: readonly string[],
  terms: readonly MatchTerm[],
  size: number = SNIPPET_TOKENS,
): string {
  const columns = columnTexts.map((text) => columnOf(text, terms));
  let best = { score: 0, column: 0, start: 0 };
  columns.forEach((column, c) => {
    const starts = sentenceStarts(column);
    for (const instance of column.instances) {
      const here = windowScore(column, instance.pos, size);
      if (here.score > best.score) best = { score: here.score, column: c, start: here.start };
      if (starts.length > 0 && column.spans.length > size) {
        let j = 0;
        while (j < starts.length - 1 && starts[j + 1]! <= instance.pos) j++;
        const sentence = starts[j]!;
        if (sentence < instance.pos) {
          const score = windowScore(column, sentence, size).score + (sentence === 0 ? 120 : 100);
          if (score > best.score) best = { score, column: c, start: sentence };
        }
      }
    }
  });
  const column = columns[best.column];
  if (!column) return '';
  return highlight(column, best.start, best.start + size - 1);
}
