// How Instagram messages look in Telegram (parse_mode HTML): escaping, the header line naming the
// thread and the sender, captions within 1024 characters, grapheme-safe truncation.
import { graphemes } from './graphemes.js';
import { CAPTION_LIMIT, splitFirst, type SplitOptions } from './split-text.js';

/** Escapes text for parse_mode HTML (the four entities Telegram knows). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export interface HeaderInput {
  /** Thread title; omitted when the chat already says it (a forum topic named after the thread). */
  threadTitle: string | null;
  sender: string;
  /** The thread is a message request (pending inbox). */
  isRequest?: boolean;
}

/**
 * The line above a forwarded message: `<b>Weekend Crew</b> · Alex` in a group thread,
 * `<b>Zoë Müller</b>` when the sender is the thread (a one-to-one chat), `<b>Alex</b>` in a topic.
 */
export function formatHeader(input: HeaderInput): string {
  const sender = escapeHtml(input.sender);
  const title = input.threadTitle === null ? null : escapeHtml(input.threadTitle);
  let line = !title || title === sender ? `<b>${sender}</b>` : `<b>${title}</b> · ${sender}`;
  if (input.isRequest) line = `📩 <i>request</i> · ${line}`;
  return line;
}

/** Header and plain body as one HTML message (the body is escaped here). */
export function formatMessageHtml(header: string | null, body: string | null): string {
  const text = body === null ? '' : escapeHtml(body);
  if (header === null) return text;
  return text ? `${header}\n${text}` : header;
}

/**
 * A caption within Telegram's 1024 characters; what does not fit is returned as `followUp`, to be
 * sent as a text message right after the media.
 */
export function splitCaption(
  caption: string,
  limit = CAPTION_LIMIT,
  options: SplitOptions = {},
): { caption: string; followUp: string | null } {
  const { first, rest } = splitFirst(caption, limit, options);
  return { caption: first, followUp: rest };
}

/** At most `maxLength` UTF-16 units, cut between graphemes, ending with `ellipsis` when cut. */
export function truncateText(text: string, maxLength: number, ellipsis = '…'): string {
  if (text.length <= maxLength) return text;
  let out = '';
  for (const grapheme of graphemes(text)) {
    if (out.length + grapheme.length + ellipsis.length > maxLength) break;
    out += grapheme;
  }
  return out + ellipsis;
}

/** At most `maxBytes` UTF-8 bytes, cut between graphemes (callback_data is limited to 64 bytes). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const grapheme of graphemes(text)) {
    const size = Buffer.byteLength(grapheme);
    if (bytes + size > maxBytes) break;
    out += grapheme;
    bytes += size;
  }
  return out;
}
