// Search snippets carry SNIPPET_OPEN/SNIPPET_CLOSE around matched words; these turn them into
// terminal highlighting or plain text.
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../store/store.js';
import type { Output } from '../output.js';
import { terminalSnippet } from './terminal-text.js';

const MARKED = new RegExp(`${SNIPPET_OPEN}([^${SNIPPET_CLOSE}]*)${SNIPPET_CLOSE}`, 'gu');
const MARKERS = new RegExp(`[${SNIPPET_OPEN}${SNIPPET_CLOSE}]`, 'gu');

/** One line of text: line breaks and runs of spaces become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The snippet without markers (what `--json` prints). */
export function plainSnippet(snippet: string): string {
  return oneLine(snippet.replace(MARKERS, ''));
}

/** The snippet with matches in bold yellow; with colour off, plain text. */
export function highlightSnippet(snippet: string, out: Output): string {
  const marked = terminalSnippet(oneLine(snippet)).replace(MARKED, (_match, word: string) =>
    out.style('bold', out.style('yellow', word)),
  );
  return marked.replace(MARKERS, '');
}
