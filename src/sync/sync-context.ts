// What every part of one sync run shares: the client, the store, options, counters, and the
// archive index used to merge archive threads into API threads.
import type { Message, Thread, User } from '../core/model.js';
import type { InboxThread, InstagramClient } from '../instagram/client.js';
import type { Store, SyncState, WriteBatch, WriteResult } from '../store/store.js';
import { archiveThreadId } from '../archive/to-model.js';
import { ArchiveMessageKeys, ArchiveThreadIndex } from './archive-merge.js';
import type { MediaFetcher } from './media-fetcher.js';
import { keepStoredMediaPaths } from '../media/keep-stored-paths.js';

export interface SyncProgress {
  phase: 'inbox' | 'threads' | 'media';
  threadsDone: number;
  threadsTotal: number;
  messagesAdded: number;
}

export interface SyncCounters {
  threadsSeen: Set<string>;
  threadsUpdated: Set<string>;
  messagesAdded: number;
}

export class SyncContext {
  readonly counters: SyncCounters = { threadsSeen: new Set(), threadsUpdated: new Set(), messagesAdded: 0 };
  readonly archive: ArchiveThreadIndex;
  /** Archive message keys of threads that hold archive messages (loaded on first use). */
  private readonly archiveKeys = new Map<string, ArchiveMessageKeys>();
  ownerName: string | null = null;

  constructor(
    readonly client: InstagramClient,
    readonly store: Store,
    readonly options: {
      /** Threads whose sync state is older than this are walked again (a --full run, possibly resumed). */
      fullSince: number | null;
      media: MediaFetcher | null;
      now: () => number;
      onProgress?: (progress: SyncProgress) => void;
      onWarning?: (message: string) => void;
    },
  ) {
    this.archive = new ArchiveThreadIndex(store, () => this.ownerName);
  }

  async keysFor(threadId: string, stored: Thread | null): Promise<ArchiveMessageKeys | null> {
    const known = this.archiveKeys.get(threadId);
    if (known) return known.size > 0 ? known : null;
    if (!stored?.archiveFolder) return null;
    const keys = await ArchiveMessageKeys.load(this.store, threadId);
    this.archiveKeys.set(threadId, keys);
    return keys.size > 0 ? keys : null;
  }

  setKeys(threadId: string, keys: ArchiveMessageKeys): void {
    this.archiveKeys.set(threadId, keys);
  }

  isFullWalk(state: SyncState | null): boolean {
    // `<=`: a sync that ended in the same millisecond as this --full run started is still "before" it.
    return this.options.fullSince !== null && (state === null || state.updatedAt <= this.options.fullSince);
  }

  /** Writes a batch (downloading its media first when asked) and counts what it added. */
  async write(batch: WriteBatch): Promise<WriteResult> {
    if (batch.messages?.length) {
      await keepStoredMediaPaths(this.store, batch.messages);
      if (this.options.media) await this.options.media.attach(batch.messages);
    }
    const result = await this.store.write(batch);
    this.counters.messagesAdded += result.messagesAdded;
    if (result.messagesAdded > 0) {
      for (const message of batch.messages ?? []) {
        if (result.addedMessageIds.includes(message.id)) this.counters.threadsUpdated.add(message.threadId);
      }
    }
    return result;
  }

  skipArchived(messages: Message[], keys: ArchiveMessageKeys | null): Message[] {
    return keys ? messages.filter((message) => !keys.matches(message)) : messages;
  }

  /** The thread record to store: what the API says, with the inbox's request flag when known. */
  threadRecord(
    apiThread: Thread,
    stored: Thread | null,
    inbox: InboxThread | null,
    lastActivityAt: number | null,
  ): Thread {
    return {
      ...apiThread,
      isRequest: inbox?.thread.isRequest ?? stored?.isRequest ?? apiThread.isRequest,
      lastActivityAt,
      archiveFolder: stored?.archiveFolder ?? null,
    };
  }

  /**
   * The thread part of a batch. A thread stored for the first time is checked against the archive:
   * its twin is merged into it in the same batch, and its archive messages become the filter.
   */
  async threadPart(thread: Thread, users: User[], stored: Thread | null): Promise<WriteBatch> {
    const batch: WriteBatch = { threads: [thread], users };
    if (stored) return this.unfinishedMerge(batch, stored);
    const twin = await this.archive.twinOf(thread);
    if (!twin) return batch;
    this.archive.consumed(twin.id);
    batch.threads = [{ ...thread, archiveFolder: twin.archiveFolder }];
    batch.threadMerges = [{ from: twin.id, into: thread.id }];
    this.setKeys(thread.id, await ArchiveMessageKeys.load(this.store, twin.id));
    return batch;
  }

  /**
   * A merge cut short: MongoDB moves a long twin in steps after storing the API thread, so a failure
   * there leaves the API thread stored (with the twin's folder) and the twin still holding the rest.
   * The merge is sent again; its filter is every archive message of both.
   */
  private async unfinishedMerge(batch: WriteBatch, stored: Thread): Promise<WriteBatch> {
    if (!stored.archiveFolder || stored.source === 'archive') return batch;
    const twinId = archiveThreadId(stored.archiveFolder);
    if (twinId === stored.id || !(await this.store.getThread(twinId))) return batch;
    this.archive.consumed(twinId);
    batch.threadMerges = [{ from: twinId, into: stored.id }];
    this.setKeys(stored.id, await ArchiveMessageKeys.load(this.store, twinId, stored.id));
    return batch;
  }

  seen(threadId: string): void {
    this.counters.threadsSeen.add(threadId);
  }
}
