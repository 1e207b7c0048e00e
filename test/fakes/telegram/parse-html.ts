// Telegram's parse_mode HTML as the server reads it: a fixed set of tags, the entities &lt; &gt;
// &amp; &quot; and numeric ones; anything else is an error the sender must see. Returns the
// visible text, which is what the 4096 / 1024 limits are measured on.
import { badRequest } from './api-error.js';

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
  'tg-time',
]);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function parseHtml(html: string): string {
  const open: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const char = html[i]!;
    if (char === '<') {
      const match = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>/.exec(html.slice(i, i + 2048));
      const offset = Buffer.byteLength(html.slice(0, i));
      if (!match) throw entities(`Unexpected end of name token at byte offset ${offset}`);
      const [whole, slash, rawName] = match;
      const name = rawName!.toLowerCase();
      if (slash) {
        const expected = open.pop();
        if (expected === undefined) throw entities(`Unexpected end tag at byte offset ${offset}`);
        if (expected !== name) {
          throw entities(`Unmatched end tag at byte offset ${offset}, expected "</${expected}>", found "</${name}>"`);
        }
      } else {
        if (!TAGS.has(name)) throw entities(`Unsupported start tag "${name}" at byte offset ${offset}`);
        open.push(name);
      }
      i += whole!.length;
      continue;
    }
    if (char === '&') {
      const match = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/.exec(html.slice(i, i + 40));
      if (match) {
        const decoded = decodeEntity(match[1]!);
        if (decoded !== null) {
          text += decoded;
          i += match[0].length;
          continue;
        }
      }
    }
    text += char;
    i += 1;
  }
  if (open.length > 0) throw entities(`Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return text;
}

function decodeEntity(body: string): string | null {
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return NAMED[body] ?? null;
}

function entities(reason: string): Error {
  return badRequest(`can't parse entities: ${reason}`);
}
