// message_N.html (the HTML flavour of the archive) → the same shape as message_N.json, so one
// mapper serves both. The page holds blocks, newest first:
//   <div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">
//     <h2 class="_3-95 _2pim _a6-h _a6-i">Sender</h2>            (older pages: a <div>)
//     <div class="_3-95 _a6-p"> text, <a href>, <img|video|audio src>, <ul class="_a6-q"><li>❤️Name</li></ul> </div>
//     <div class="_3-94 _a6-o">Jun 14, 2024 11:09 am</div>         (older pages: "Jun 14, 2024, 11:09 AM";
//   </div>                                                        other languages: see html-time.ts)
// plus a first block "Participants: A, B" (in the account's language) without a time. Text is real UTF-8 (no repair); times
// are local wall-clock times without a zone, read in the zone given.
import { ArchiveFileError } from './archive-error.js';
import { MAX_HTML_SIBLINGS, htmlShapeProblem } from './html-shape.js';
import { collapseHtmlSpace, htmlBodyText, htmlText } from './html-text.js';
import { type NumericDateOrder, numericDateOrder, parseHtmlTime } from './html-time.js';
import {
  HtmlTooDeepError,
  allNamed,
  allWithClass,
  firstNamed,
  firstWithClass,
  listItemsBelow,
  parseHtmlTree,
  type HtmlElement,
} from './html-tree.js';
import { wallTimeToEpoch } from './local-time.js';
import type { MetaMedia, MetaMessage, MetaReaction } from './meta-schema.js';
import type { ParsedThreadFile } from './thread-file.js';

const DIRECTION_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MEDIA_TAGS = new Set(['img', 'video', 'audio', 'source']);
const ANCHOR = new Set(['a']);

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** "❤️Alex Kim" / "😂 Zoë Müller (Jun 14, 2024 11:09 am)" → reaction and actor. */
export function parseHtmlReaction(text: string): { reaction: string; actor: string } | null {
  const clean = text
    .replace(DIRECTION_MARKS, '')
    .replace(/\s*\([^()]*\d{4}[^()]*\)\s*$/, '')
    .trim();
  if (!clean) return null;
  let emoji = '';
  let rest = clean;
  for (const { segment, index } of segmenter.segment(clean)) {
    if (!EMOJI.test(segment)) {
      rest = clean.slice(index);
      break;
    }
    emoji += segment;
    rest = '';
  }
  if (!emoji) {
    const space = clean.indexOf(' ');
    if (space < 0) return null;
    emoji = clean.slice(0, space);
    rest = clean.slice(space + 1);
  }
  return { reaction: emoji, actor: rest.trim() };
}

function mediaKey(element: HtmlElement, src: string): 'photos' | 'videos' | 'audio_files' | 'gifs' {
  const tag = element.name;
  if (tag === 'video' || /\/videos\//.test(src)) return 'videos';
  if (tag === 'audio' || /\/audio\//.test(src)) return 'audio_files';
  if (/\/gifs\//.test(src)) return 'gifs';
  return 'photos';
}

function textOf(element: HtmlElement | null | undefined): string {
  return collapseHtmlSpace((element ? htmlText(element) : '').replace(DIRECTION_MARKS, ''));
}

function parseBlock(
  block: HtmlElement,
  timeText: string,
  order: NumericDateOrder | null,
  file: string,
  timeZone: string,
): MetaMessage {
  const sender = textOf(firstWithClass(block, '_a6-h'));
  const wall = parseHtmlTime(timeText, order);
  if (!wall)
    throw new ArchiveFileError(file, `cannot read the time "${timeText}" (expected e.g. "Jun 14, 2024 11:09 am")`);
  const message: MetaMessage = { sender_name: sender, timestamp_ms: wallTimeToEpoch(wall, timeZone) };
  const body = firstWithClass(block, '_a6-p');
  if (!body) return message;

  const reactions: MetaReaction[] = [];
  for (const item of listItemsBelow(body)) {
    const reaction = parseHtmlReaction(htmlText(item));
    if (reaction) reactions.push(reaction);
  }
  const media: Partial<Record<'photos' | 'videos' | 'audio_files' | 'gifs', MetaMedia[]>> = {};
  const seen = new Set<string>();
  for (const element of allNamed(body, MEDIA_TAGS)) {
    const src = element.attributes.src?.trim();
    if (!src || seen.has(src) || /^data:/i.test(src)) continue;
    seen.add(src);
    (media[mediaKey(element, src)] ??= []).push({ uri: src });
  }
  const link = allNamed(body, ANCHOR)
    .map((anchor) => anchor.attributes.href?.trim() ?? '')
    .find((href) => /^https?:\/\//i.test(href));
  let text = htmlBodyText(body);
  if (link && text === link) text = '';
  if (link && text.endsWith(`\n${link}`)) text = text.slice(0, -link.length - 1);

  if (text) message.content = text;
  Object.assign(message, media);
  if (link) message.share = { link };
  if (reactions.length > 0) message.reactions = reactions;
  return message;
}

/**
 * Meta's pages nest a few dozen elements deep; far deeper ones are refused, like a too-deep JSON
 * file, at a fixed depth, so that a checker thread and the importer agree on every page.
 */
export const MAX_HTML_DEPTH = 512;

export function parseHtmlThreadFile(html: string, file: string, timeZone: string): ParsedThreadFile {
  const problem = htmlShapeProblem(html);
  if (problem?.kind === 'open') throw new ArchiveFileError(file, 'HTML nested too deeply');
  if (problem?.kind === 'siblings') {
    throw new ArchiveFileError(file, `HTML with more than ${MAX_HTML_SIBLINGS} elements side by side`);
  }
  let root: HtmlElement;
  try {
    root = parseHtmlTree(html, MAX_HTML_DEPTH);
  } catch (error) {
    if (error instanceof HtmlTooDeepError) throw new ArchiveFileError(file, 'HTML nested too deeply');
    throw error;
  }
  return readHtmlThread(root, file, timeZone);
}

function readHtmlThread(root: HtmlElement, file: string, timeZone: string): ParsedThreadFile {
  const title = textOf(firstWithClass(root, '_a70e') ?? firstNamed(root, 'title') ?? firstNamed(root, 'h1')) || null;
  const participants: string[] = [];
  const messages: MetaMessage[] = [];
  const blocks = allWithClass(root, '_a6-g');
  const times = blocks.map((block) => firstWithClass(block, '_a6-o'));
  const order = numericDateOrder(times.map((time) => (time ? textOf(time) : '')));
  for (const [index, block] of blocks.entries()) {
    const time = times[index];
    if (!time) {
      // "Participants: A, B", "Teilnehmer: A, B", "Participants : A, B"…
      const listed = /^[^:,]{1,40}:\s*(.+)$/s.exec(textOf(block));
      if (listed) {
        for (const name of listed[1]!.split(/,\s*/)) if (name.trim()) participants.push(name.trim());
      }
      continue;
    }
    messages.push(parseBlock(block, textOf(time), order, file, timeZone));
  }
  if (blocks.length === 0) throw new ArchiveFileError(file, 'not an Instagram message page (no message blocks found)');
  if (participants.length === 0) {
    for (const message of messages)
      if (!participants.includes(message.sender_name)) participants.push(message.sender_name);
  }
  return {
    title,
    participants,
    isGroupHint: participants.length > 2,
    messages,
    raws: null,
    sentAt: spreadMinutes(messages),
    repaired: true,
  };
}

/**
 * HTML pages give times to the minute, so messages of one minute would be stored in an arbitrary
 * order. Each run of equal times (newest first, as on the page) is spread 1 ms apart in page order,
 * the oldest keeping the minute itself. Null when no two messages share a time.
 */
function spreadMinutes(messages: MetaMessage[]): number[] | null {
  let spread: number[] | null = null;
  let runStart = 0;
  for (let i = 1; i <= messages.length; i += 1) {
    if (i < messages.length && messages[i]!.timestamp_ms === messages[runStart]!.timestamp_ms) continue;
    const length = i - runStart;
    if (length > 1 && length < 60_000) {
      spread ??= messages.map((message) => message.timestamp_ms);
      for (let j = runStart; j < i; j += 1) spread[j] = messages[j]!.timestamp_ms + (i - 1 - j);
    }
    runStart = i;
  }
  return spread;
}
