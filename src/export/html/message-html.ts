// One message as a chat bubble. Pure: every link and reply target is resolved by the caller, and
// every piece of message data passes through escapeHtml or safeExternalUrl.
import type { Message } from '../../core/model.js';
import { toIso } from '../../core/time.js';
import { encodePathForUrl } from '../file-names.js';
import { localDateTime, localTime } from '../local-time.js';
import { groupReactions, kindLabel, mediaLabel, mediaPresentation } from '../message-labels.js';
import { escapeHtml, safeExternalUrl } from './escape.js';

export interface ReplyTarget {
  sender: string;
  preview: string;
  /** Link to the replied-to message (same page `#m-…` or another page of the thread), if exported. */
  href: string | null;
}

export interface MessageExtras {
  /** For each of message.media, its path inside the export (`media/...`), or null when not kept. */
  mediaPaths: Array<string | null>;
  reply: ReplyTarget | null;
  /** How pages reach the export root, e.g. `../`. */
  rootPrefix: string;
  /** Show the sender's name above the bubble (the first of a run of messages by the same person). */
  showSender: boolean;
}

export function messageAnchor(messageId: string): string {
  return `m-${messageId}`;
}

export function messageFragment(messageId: string): string {
  return `#${encodeURIComponent(messageAnchor(messageId))}`;
}

function renderMedia(message: Message, extras: MessageExtras): string {
  let html = '';
  message.media.forEach((media, index) => {
    const path = extras.mediaPaths[index] ?? null;
    const label = escapeHtml(mediaLabel(media));
    if (!path) {
      html += `<p class="missing">${label} (not kept locally)</p>\n`;
      return;
    }
    const src = escapeHtml(extras.rootPrefix + encodePathForUrl(path));
    switch (mediaPresentation(media)) {
      case 'image':
        html += `<figure class="media"><a href="${src}"><img src="${src}" alt="${label}" loading="lazy"></a></figure>\n`;
        break;
      case 'video':
        html += `<figure class="media"><video controls preload="metadata" src="${src}"></video></figure>\n`;
        break;
      case 'audio':
        html += `<figure class="media"><audio controls preload="metadata" src="${src}"></audio></figure>\n`;
        break;
      default:
        html += `<p class="media"><a href="${src}">${label}</a></p>\n`;
    }
  });
  return html;
}

function renderShare(message: Message): string {
  const share = message.share;
  if (!share) return '';
  const href = safeExternalUrl(share.url);
  const label = escapeHtml(share.text || share.url || 'shared post');
  const owner = share.owner ? ` <span class="muted">by ${escapeHtml(share.owner)}</span>` : '';
  const link = href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
  return `<p class="share" dir="auto">🔗 ${link}${owner}</p>\n`;
}

function renderBody(message: Message, extras: MessageExtras): string {
  // Named: a system line (as the archive has them) shows no sender of its own.
  if (message.unsent) return `<p class="unsent" dir="auto">${escapeHtml(message.senderName)} unsent a message</p>\n`;
  let html = '';
  if (message.text) {
    html += `<p class="text" dir="auto">${escapeHtml(message.text)}</p>\n`;
  } else if (message.media.length === 0 && !message.share) {
    html += `<p class="kind">${escapeHtml(kindLabel(message.kind))}</p>\n`;
  }
  html += renderMedia(message, extras);
  html += renderShare(message);
  return html;
}

export function renderMessage(message: Message, extras: MessageExtras): string {
  const side = message.kind === 'system' ? 'system' : message.fromMe ? 'me' : 'them';
  let html = `<article class="msg ${side}" id="${escapeHtml(messageAnchor(message.id))}">\n`;
  if (extras.showSender && side !== 'system')
    html += `<p class="sender" dir="auto">${escapeHtml(message.senderName)}</p>\n`;
  const reply = extras.reply;
  if (reply) {
    const quote = `↪ ${escapeHtml(reply.sender)}: ${escapeHtml(reply.preview)}`;
    html += `<p class="reply" dir="auto">${reply.href ? `<a href="${escapeHtml(reply.href)}">${quote}</a>` : quote}</p>\n`;
  }
  html += renderBody(message, extras);
  if (message.reactions.length > 0) {
    html += '<ul class="reactions">';
    for (const [emoji, actors] of groupReactions(message)) {
      const count = actors.length > 1 ? ` ${actors.length}` : '';
      html += `<li title="${escapeHtml(actors.join(', '))}">${escapeHtml(emoji)}${count}</li>`;
    }
    html += '</ul>\n';
  }
  html +=
    `<p class="meta"><time datetime="${toIso(message.sentAt)}" title="${localDateTime(message.sentAt)}">` +
    `${localTime(message.sentAt)}</time></p>\n</article>\n`;
  return html;
}
