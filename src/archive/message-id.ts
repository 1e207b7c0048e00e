// Stable ids for archive messages. The same message gets the same id from any archive of the same
// account, whatever its layout or split into files: the thread folder, the ms timestamp, the sender,
// what the message holds (text, share, media file names), and — for exact repeats (same sender,
// same millisecond, same content) — the ordinal of the repeat in time order.
import crypto from 'node:crypto';
import { hasMedia, mediaItems } from './media-items.js';
import type { MetaMessage } from './meta-schema.js';

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function mediaNames(message: MetaMessage): string {
  if (!hasMedia(message)) return '';
  return mediaItems(message)
    .map((item) => fileName(item.uri))
    .join('\u0002');
}

type OneShotHash = (algorithm: string, data: string, encoding: 'base64url') => string;
// crypto.hash (Node ≥ 20.12) avoids a Hash object per call; older Node falls back to createHash.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

function digest(text: string): string {
  const full = oneShot
    ? oneShot('sha256', text, 'base64url')
    : crypto.createHash('sha256').update(text).digest('base64url');
  return full.slice(0, 24);
}

/** Hands out ids for one thread's messages, visited oldest first. */
export class MessageIdSequence {
  private readonly seen = new Map<string, number>();

  constructor(private readonly folder: string) {}

  next(message: MetaMessage): string {
    const share = message.share;
    const key = `${this.folder}\u0000${message.timestamp_ms}\u0000${message.sender_name}\u0000${message.content ?? ''}\u0000${share?.link ?? ''}\u0000${share?.share_text ?? ''}\u0000${mediaNames(message)}`;
    const base = digest(key);
    const ordinal = this.seen.get(base);
    if (ordinal === undefined) {
      this.seen.set(base, 1);
      return `a:${base}`;
    }
    this.seen.set(base, ordinal + 1);
    return `a:${digest(`${base}\u0000${ordinal}`)}`;
  }
}
