// Splits Telegram text into messages of at most `limit` UTF-16 units (4096 for messages, 1024 for
// captions; UTF-16 length is never less than what Telegram counts). A cut never falls inside a
// grapheme (so never inside a surrogate pair, an emoji sequence or a flag), an HTML entity or a
// tag; it prefers a line break, then a space, in the second half of the part. In HTML mode the
// tags open at a cut are closed at the end of the part and reopened at the start of the next.
// Concatenating the parts (without those added tags) gives the original text back.
import { graphemes } from './graphemes.js';

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export interface SplitOptions {
  /** The text is Telegram HTML (parse_mode HTML): keep tags balanced in every part. Default true. */
  html?: boolean;
}

type UnitKind = 'text' | 'space' | 'newline' | 'entity' | 'open' | 'close';

interface Unit {
  text: string;
  kind: UnitKind;
  /** Tag name for open/close units. */
  tag?: string;
}

interface OpenTag {
  name: string;
  source: string;
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>/y;
const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/y;

export function splitText(text: string, limit: number = MESSAGE_LIMIT, options: SplitOptions = {}): string[] {
  return split(text, limit, options.html ?? true, Infinity).parts;
}

/**
 * The first part of `text` within `limit`, and the rest (null when it all fits), with tags
 * balanced in both. For captions: the rest goes out as a follow-up message.
 */
export function splitFirst(
  text: string,
  limit: number,
  options: SplitOptions = {},
): { first: string; rest: string | null } {
  const { parts, rest } = split(text, limit, options.html ?? true, 1);
  return { first: parts[0] ?? '', rest };
}

function split(text: string, limit: number, html: boolean, maxParts: number): { parts: string[]; rest: string | null } {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  if (text.length <= limit) return { parts: text.length > 0 ? [text] : [], rest: null };
  const units = tokenize(text, html);
  const parts: string[] = [];
  let stack: OpenTag[] = [];
  let start = 0;
  while (start < units.length) {
    const prefix = stack.map((tag) => tag.source).join('');
    if (parts.length === maxParts) {
      return {
        parts,
        rest:
          prefix +
          units
            .slice(start)
            .map((u) => u.text)
            .join(''),
      };
    }
    const end = findCut(units, start, stack, prefix.length, limit);
    const after = applyTags(stack, units, start, end);
    parts.push(
      prefix +
        units
          .slice(start, end)
          .map((u) => u.text)
          .join('') +
        closing(after),
    );
    stack = after;
    start = end;
  }
  return { parts, rest: null };
}

/** Index where the part starting at `start` ends (exclusive). */
function findCut(units: Unit[], start: number, initial: OpenTag[], prefixLength: number, limit: number): number {
  const stack = [...initial];
  let used = prefixLength;
  let lastNewline = -1;
  let lastSpace = -1;
  let index = start;
  while (index < units.length) {
    const unit = units[index]!;
    applyUnit(stack, unit);
    if (used + unit.text.length + closingLength(stack) > limit) break;
    used += unit.text.length;
    index += 1;
    const half = prefixLength + (limit - prefixLength) / 2;
    if (unit.kind === 'newline' && used >= half) lastNewline = index;
    if (unit.kind === 'space' && used >= half) lastSpace = index;
  }
  if (index === units.length) return index;
  if (lastNewline > start) return lastNewline;
  if (lastSpace > start) return lastSpace;
  if (index === start) {
    // Not even one unit fits: break it into code points (a giant grapheme or tag) and retry.
    const unit = units[start]!;
    if (closingLength(initial) + prefixLength + 2 > limit) throw new RangeError('limit too small for the open tags');
    units.splice(start, 1, ...Array.from(unit.text, (char) => ({ text: char, kind: 'text' as const })));
    return findCut(units, start, initial, prefixLength, limit);
  }
  // A hard cut: leave opening tags at the end to the next part.
  while (index > start + 1 && units[index - 1]!.kind === 'open') index -= 1;
  return index;
}

function tokenize(text: string, html: boolean): Unit[] {
  const units: Unit[] = [];
  let index = 0;
  let skipUntil = 0;
  for (const segment of graphemes(text)) {
    const at = index;
    index += segment.length;
    if (at < skipUntil) continue;
    const char = text[at];
    if (char === '<') {
      TAG.lastIndex = at;
      const match = TAG.exec(text);
      if (match) {
        const tag = match[2]!.toLowerCase();
        units.push({ text: match[0], kind: html ? (match[1] ? 'close' : 'open') : 'text', tag });
        skipUntil = at + match[0].length;
        continue;
      }
    } else if (char === '&') {
      ENTITY.lastIndex = at;
      const match = ENTITY.exec(text);
      if (match) {
        units.push({ text: match[0], kind: 'entity' });
        skipUntil = at + match[0].length;
        continue;
      }
    }
    const kind: UnitKind = segment.includes('\n') ? 'newline' : /^\s+$/.test(segment) ? 'space' : 'text';
    units.push({ text: segment, kind });
  }
  return units;
}

function applyUnit(stack: OpenTag[], unit: Unit): void {
  if (unit.kind === 'open') stack.push({ name: unit.tag!, source: unit.text });
  else if (unit.kind === 'close') {
    const at = stack.map((tag) => tag.name).lastIndexOf(unit.tag!);
    if (at >= 0) stack.splice(at, 1);
  }
}

function applyTags(initial: OpenTag[], units: Unit[], start: number, end: number): OpenTag[] {
  const stack = [...initial];
  for (let i = start; i < end; i++) applyUnit(stack, units[i]!);
  return stack;
}

function closing(stack: OpenTag[]): string {
  return stack
    .map((tag) => `</${tag.name}>`)
    .reverse()
    .join('');
}

function closingLength(stack: OpenTag[]): number {
  let length = 0;
  for (const tag of stack) length += tag.name.length + 3;
  return length;
}
