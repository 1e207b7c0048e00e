// How an Instagram message reads in Telegram. Plain text (no parse mode), so nothing the sender
// typed can break Telegram's entity parser.
import type { Message, Thread } from '../../core/model.js';

export interface RenderContext {
  thread: Thread | null;
  /** Private-chat mode heads each message with the thread title and sender; a forum topic needs less. */
  mode: 'private' | 'forum';
}

const KIND_ICON: Record<string, string> = {
  photo: '📷',
  video: '🎬',
  audio: '🎤',
  gif: '🎞',
  sticker: '🏷',
  file: '📎',
};

export function senderLabel(message: Message): string {
  if (message.fromMe) return 'You';
  return message.senderName || 'someone';
}

/** The header line: thread and sender in private mode, the sender in group topics, nothing else. */
export function header(message: Message, ctx: RenderContext): string | null {
  const request = ctx.thread?.isRequest ? '📩 message request · ' : '';
  const sender = senderLabel(message);
  if (ctx.mode === 'private') {
    const title = ctx.thread?.title ?? message.threadId;
    const who = title === sender ? '' : ` · ${sender}`;
    return `${request}💬 ${title}${who}`;
  }
  const showSender = Boolean(ctx.thread?.isGroup) || message.fromMe;
  if (request || showSender) return `${request}${showSender ? sender : ''}`.replace(/ · $/, '');
  return null;
}

/** The message's content as text (without header); media are described, not embedded. */
export function body(message: Message): string {
  if (message.unsent) return '🚫 (message unsent)';
  const lines: string[] = [];
  switch (message.kind) {
    case 'share': {
      const share = message.share;
      if (share?.url) lines.push(`🔗 ${share.url}`);
      if (share?.owner) lines.push(`shared from @${share.owner}`);
      if (share?.text) lines.push(share.text);
      if (message.text) lines.push(message.text);
      break;
    }
    case 'call':
      lines.push(`📞 ${message.text ?? 'call'}`);
      break;
    case 'like':
      lines.push(message.text ?? '❤️');
      break;
    case 'system':
    case 'placeholder':
    case 'unsupported':
      lines.push(`ℹ️ ${message.text ?? `(${message.kind} message)`}`);
      break;
    default:
      if (message.text) lines.push(message.text);
  }
  if (lines.length === 0 && message.media.length === 0) lines.push(`(${message.kind})`);
  return lines.join('\n');
}

/** Media of the message as links, for when media forwarding is off or a download failed. */
export function mediaLinks(message: Message): string[] {
  return message.media.map((m) => `${KIND_ICON[m.kind] ?? '📎'} ${m.url ?? m.name ?? m.kind}`);
}

export function withHeader(head: string | null, text: string): string {
  if (!head) return text;
  return text ? `${head}\n${text}` : head;
}

export function reactionNote(message: Message): string {
  const list = message.reactions.map((r) => `${r.emoji} ${r.actor}`).join(', ');
  const snippet = (message.text ?? `(${message.kind})`).slice(0, 60);
  return `${list} reacted to: ${snippet}`;
}
