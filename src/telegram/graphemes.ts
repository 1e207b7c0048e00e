// Grapheme clusters (what a reader sees as one character: 😀, 👨‍👩‍👧, 🇩🇪, é as e + U+0301).
// Intl.Segmenter on Node 20 slows down quadratically on long strings, so ASCII runs (each char its
// own cluster) skip it and the rest is segmented in short windows.

const WINDOW = 256;
/** Prepend characters join the following character, even an ASCII one. */
const PREPEND = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}]$/u;

let segmenter: Intl.Segmenter | undefined;

export function graphemes(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (isPlainAscii(text, i) && (i + 1 === text.length || isPlainAscii(text, i + 1))) {
      out.push(text[i]!);
      i += 1;
      continue;
    }
    // A run that needs real segmentation: up to the next ASCII char followed by ASCII.
    let end = i + 1;
    while (end < text.length && !startsAsciiRun(text, end)) end++;
    if (end < text.length && PREPEND.test(text.slice(Math.max(i, end - 2), end))) end++;
    segmentInto(out, text.slice(i, end));
    i = end;
  }
  return out;
}

/** A cluster boundary before `index` followed by a cluster of one ASCII char (CR LF stays whole). */
function startsAsciiRun(text: string, index: number): boolean {
  return (
    isPlainAscii(text, index) &&
    (index + 1 === text.length || isPlainAscii(text, index + 1)) &&
    text.charCodeAt(index - 1) !== 0x0d
  );
}

function isPlainAscii(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code < 0x7f && code !== 0x0d;
}

function segmentInto(out: string[], run: string): void {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let position = 0;
  while (position < run.length) {
    let end = Math.min(run.length, position + WINDOW);
    // Never end a window between the halves of a surrogate pair.
    if (end < run.length && isHighSurrogate(run.charCodeAt(end - 1))) end -= 1;
    const segments = Array.from(segmenter.segment(run.slice(position, end)), (s) => s.segment);
    // The window's last cluster may continue past it: segment it again with what follows.
    if (end < run.length && segments.length > 1) segments.pop();
    for (const segment of segments) {
      out.push(segment);
      position += segment.length;
    }
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
