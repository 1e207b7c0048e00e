// Text other people wrote (messages, names, titles, file names from an archive), shown on a
// terminal. Anyone who can send the owner a message request controls it, and control characters in
// it would be obeyed by the terminal: retitle the window, hide or overwrite lines, write to the
// clipboard (OSC 52). They are shown as visible symbols instead (ESC as ␛). The bidirectional
// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are too: one left open would
// reverse the rest of the line, the sender's name or time included, and a message could show other
// words than it holds. The marks (U+200E, U+200F), which reorder nothing by themselves, stay.
// --json output and exports keep the text as it is.

/** C0 controls, DEL, C1 controls and bidi controls; `\n` too, as the line breaks are the caller's to make. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
/** The same, less the two markers a search snippet puts around matches (store.ts). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_MARKERS = /[\u0000\u0001\u0004-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

function visible(control: string): string {
  const code = control.charCodeAt(0);
  if (code === 0x09) return ' ';
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** One line of text, safe to write to a terminal. */
export function terminalLine(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Text that may span lines: each line made safe (a lone carriage return is shown, not obeyed). */
export function terminalLines(text: string): string[] {
  return text.split(/\r?\n/u).map(terminalLine);
}

/** A search snippet made safe, its match markers kept. */
export function terminalSnippet(snippet: string): string {
  return snippet.replace(CONTROL_BUT_MARKERS, visible);
}
