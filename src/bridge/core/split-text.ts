// The bridge's text helpers. Splitting is the Telegram module's (grapheme- and entity-safe); the
// bridge sends plain text, so it splits without HTML handling. What is left here is bridge-only:
// an empty text still makes one (empty) part, and the truncations for captions and buttons.
import { CAPTION_LIMIT, MESSAGE_LIMIT, splitText } from '../../telegram/split-text.js';
import { graphemes } from '../../telegram/graphemes.js';

export { CAPTION_LIMIT, MESSAGE_LIMIT };

/** Plain text in Telegram-sized parts; always at least one part. */
export function splitPlain(text: string, limit = MESSAGE_LIMIT): string[] {
  const parts = splitText(text, limit, { html: false });
  return parts.length > 0 ? parts : [text];
}

/** Shortens text to at most `limit` UTF-16 units with an ellipsis, never inside a grapheme. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let out = '';
  for (const g of graphemes(text)) {
    if (out.length + g.length > limit - 1) break;
    out += g;
  }
  return `${out}…`;
}

/** Truncates to at most `maxBytes` UTF-8 bytes (callback_data is limited to 64 bytes). */
export function truncateBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of graphemes(text)) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}
