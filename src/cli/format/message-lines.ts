// `igtg show` terminal output: a heading per local day, then one entry per message with its
// media, shared post, reply and reactions on indented lines.
import type { Message, MediaRef } from '../../core/model.js';
import type { Output } from '../output.js';
import { localDate, localDayHeading, localTime } from './local-time.js';
import { oneLine } from './snippet.js';
import { terminalLine, terminalLines } from './terminal-text.js';

const INDENT = '       ';
const QUOTE_LENGTH = 60;

function mediaLine(media: MediaRef): string {
  const where = terminalLine(media.path ?? media.name ?? media.url ?? '');
  return `[${media.kind}] ${where}`.trimEnd();
}

function shorten(text: string, length: number): string {
  const line = terminalLine(oneLine(text));
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

function body(message: Message, out: Output): string[] {
  if (message.text !== null && message.text !== '') {
    const lines = terminalLines(message.text);
    return message.kind === 'system' ? lines.map((line) => out.style('dim', line)) : lines;
  }
  if (message.kind === 'like') return ['❤️'];
  if (message.media.length > 0 || message.share) return [];
  return [out.style('dim', `(${message.kind})`)];
}

export interface MessageLineOptions {
  /** Text of the messages replied to, by id, when known. */
  replies: Map<string, Message>;
}

function details(message: Message, out: Output, options: MessageLineOptions): string[] {
  const lines: string[] = [];
  if (message.replyTo) {
    const original = options.replies.get(message.replyTo);
    const quoted = original
      ? `${terminalLine(original.senderName)}: ${shorten(original.text ?? `(${original.kind})`, QUOTE_LENGTH)}`
      : 'an earlier message';
    lines.push(out.style('dim', `↩ in reply to ${quoted}`));
  }
  for (const media of message.media) lines.push(mediaLine(media));
  if (message.share) {
    const parts = [
      message.share.url ? terminalLine(message.share.url) : null,
      message.share.text ? shorten(message.share.text, QUOTE_LENGTH) : null,
    ].filter(Boolean);
    const owner = message.share.owner ? ` from ${terminalLine(message.share.owner)}` : '';
    lines.push(`↗ shared${owner}: ${parts.join(' — ')}`);
  }
  if (message.reactions.length > 0)
    lines.push(message.reactions.map((reaction) => terminalLine(`${reaction.emoji} ${reaction.actor}`)).join(', '));
  return lines;
}

export function printMessages(out: Output, messages: Message[], options: MessageLineOptions): void {
  let day: string | null = null;
  for (const message of messages) {
    const today = localDate(message.sentAt);
    if (today !== day) {
      if (day !== null) out.line();
      out.line(out.style('cyan', `── ${localDayHeading(message.sentAt)} ──`));
      day = today;
    }
    const text = body(message, out);
    const extra = details(message, out, options);
    // A message without text shows its first attachment on the sender's line.
    const first = text.length > 0 ? text.shift()! : (extra.shift() ?? '');
    const unsent = message.unsent ? ` ${out.style('dim', '(unsent)')}` : '';
    out.line(
      `${out.style('dim', localTime(message.sentAt))}  ${out.style('bold', terminalLine(message.senderName))}: ${first}${unsent}`,
    );
    for (const line of [...text, ...extra]) out.line(`${INDENT}${line}`);
  }
}
