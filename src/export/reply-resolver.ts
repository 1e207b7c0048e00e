// Finds what a reply points at: first among the recent messages of the thread being written
// (bounded), then in the store. Keeps memory bounded however long the thread is.
import type { Message } from '../core/model.js';
import { messagePreview } from './message-labels.js';
import type { MessageLookup } from './types.js';

export interface ResolvedReply {
  sender: string;
  preview: string;
  /** The page of this export holding the message (1-based), or null when it is not in the export. */
  page: number | null;
}

const RECENT_LIMIT = 5000;

export class ReplyResolver {
  private recent = new Map<string, ResolvedReply>();

  constructor(private readonly lookup: MessageLookup) {}

  /** Starts a new thread: replies never cross threads. */
  reset(): void {
    this.recent = new Map();
  }

  remember(message: Message, page: number | null): void {
    this.recent.set(message.id, { sender: message.senderName, preview: messagePreview(message), page });
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  async resolve(message: Message): Promise<ResolvedReply | null> {
    if (!message.replyTo) return null;
    const known = this.recent.get(message.replyTo);
    if (known) return known;
    const stored = await this.lookup(message.threadId, message.replyTo);
    if (stored) return { sender: stored.senderName, preview: messagePreview(stored), page: null };
    return { sender: '', preview: 'a message that is not stored', page: null };
  }
}
