// The same conversation from Meta's archive (`igtg import`: thread `archive:<folder>`, people by
// display name, messages `a:<hash>`) and from the API ends up as one thread. When an API thread is
// first stored, an archive thread with the same participants (by full name, the owner left out)
// is merged into it in the same write, and API items that an archive message already holds
// (same sender name, same millisecond, same text) are not stored twice.
// The other way round (an archive imported after the sync) is src/archive/match-api-threads.ts.
import { MessageKeys, participantKey, participantNames, pickByTitle } from '../core/conversation-match.js';
import type { Thread } from '../core/model.js';
import type { Store } from '../store/store.js';

export { normalizeName } from '../core/conversation-match.js';

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
      const key = participantKey(participantNames(thread.participants), [this.ownerName()]);
      if (!key) continue;
      index.set(key, [...(index.get(key) ?? []), thread]);
    }
    this.byKey = index;
    return index;
  }

  /** The archive thread holding the same conversation as `apiThread`, when exactly one does. */
  async twinOf(apiThread: Thread): Promise<Thread | null> {
    const index = await this.load();
    const key = participantKey(participantNames(apiThread.participants), [this.ownerName()]);
    if (!key) return null;
    return pickByTitle(index.get(key) ?? [], apiThread.title);
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
export class ArchiveMessageKeys extends MessageKeys {
  static async load(store: Store, ...threadIds: string[]): Promise<ArchiveMessageKeys> {
    const keys = new ArchiveMessageKeys();
    for await (const message of store.streamMessages({ threadIds })) {
      if (message.source === 'archive') keys.add(message);
    }
    return keys;
  }
}
