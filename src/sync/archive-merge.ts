// The same conversation from Meta's archive (`igtg import`: thread `archive:<folder>`, people by
// display name, messages `a:<hash>`) and from the API ends up as one thread. When an API thread is
// first stored, an archive thread with the same participants (by full name, the owner left out)
// is merged into it in the same write, and API items that an archive message already holds
// (same sender name, same millisecond, same text) are not stored twice.
import type { Message, Thread } from '../core/model.js';
import type { Store } from '../store/store.js';

export function normalizeName(name: string | null | undefined): string {
  return (name ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

function participantKey(names: Iterable<string>, ownerName: string | null): string | null {
  const owner = normalizeName(ownerName);
  const set = new Set([...names].map(normalizeName).filter((name) => name && name !== owner));
  return set.size === 0 ? null : [...set].sort().join('\u0001');
}

/** Archive threads indexed by their participants' names (owner excluded), loaded once per sync. */
export class ArchiveThreadIndex {
  private byKey: Map<string, Thread[]> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ownerName: () => string | null,
  ) {}

  private async load(): Promise<Map<string, Thread[]>> {
    if (this.byKey) return this.byKey;
    const index = new Map<string, Thread[]>();
    for (const thread of await this.store.listThreads()) {
      if (!thread.id.startsWith('archive:')) continue;
      const key = participantKey(
        thread.participants.map((participant) => participant.name),
        this.ownerName(),
      );
      if (!key) continue;
      index.set(key, [...(index.get(key) ?? []), thread]);
    }
    this.byKey = index;
    return index;
  }

  /** The archive thread holding the same conversation as `apiThread`, when exactly one does. */
  async twinOf(apiThread: Thread): Promise<Thread | null> {
    const index = await this.load();
    const key = participantKey(
      apiThread.participants.map((participant) => participant.name),
      this.ownerName(),
    );
    if (!key) return null;
    const candidates = index.get(key) ?? [];
    if (candidates.length === 1) return candidates[0]!;
    const sameTitle = candidates.filter((thread) => normalizeName(thread.title) === normalizeName(apiThread.title));
    return sameTitle.length === 1 ? sameTitle[0]! : null;
  }

  /** Forgets a merged archive thread so it is never merged twice. */
  consumed(threadId: string): void {
    if (!this.byKey) return;
    for (const [key, threads] of this.byKey) {
      const left = threads.filter((thread) => thread.id !== threadId);
      if (left.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, left);
    }
  }
}

/** Archive messages of a thread by sender and millisecond, to recognise the same message from the API. */
export class ArchiveMessageKeys {
  private readonly texts = new Map<string, Array<string | null>>();

  get size(): number {
    return this.texts.size;
  }

  add(message: Pick<Message, 'senderName' | 'sentAt' | 'text'>): void {
    const key = `${normalizeName(message.senderName)}|${message.sentAt}`;
    this.texts.set(key, [...(this.texts.get(key) ?? []), message.text]);
  }

  /** Same sender, same millisecond, and the same text (or no text on either side, e.g. a photo). */
  matches(message: Pick<Message, 'senderName' | 'sentAt' | 'text'>): boolean {
    const texts = this.texts.get(`${normalizeName(message.senderName)}|${message.sentAt}`);
    if (!texts) return false;
    const text = message.text?.trim() || null;
    return texts.some((other) => {
      const otherText = other?.trim() || null;
      return text === null || otherText === null || text === otherText;
    });
  }

  static async load(store: Store, threadId: string): Promise<ArchiveMessageKeys> {
    const keys = new ArchiveMessageKeys();
    for await (const message of store.streamMessages({ threadIds: [threadId] })) {
      if (message.source === 'archive') keys.add(message);
    }
    return keys;
  }
}
