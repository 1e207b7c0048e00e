// One thread: first its newest side (items newer than the newest stored one, or the first page
// on a first walk), then its older side (pages older via oldest_cursor while has_older). Every
// page is one store write holding its items AND the thread's sync state, so an interrupted sync
// continues from the saved cursor without a gap or a duplicate.
import type { Message, Thread, User } from '../core/model.js';
import type { InboxThread, ThreadPage } from '../instagram/client.js';
import type { SyncState } from '../store/store.js';
import type { SyncContext } from './sync-context.js';

export interface ThreadTask {
  threadId: string;
  /** What the inbox said about the thread in this run, if it was listed. */
  inbox: InboxThread | null;
}

interface Page {
  thread: Thread;
  users: User[];
  items: Message[];
  olderCursor: string | null;
}

function fromInbox(inbox: InboxThread): Page {
  const oldest = inbox.items[inbox.items.length - 1];
  return {
    thread: inbox.thread,
    users: inbox.users,
    items: inbox.items,
    // The thread endpoint takes an item id as its cursor: continue below the inbox's items.
    olderCursor: inbox.hasOlder && oldest ? oldest.id : null,
  };
}

function fromApi(page: ThreadPage): Page {
  return page;
}

function stateOf(key: string, previous: SyncState | null, now: number, changes: Partial<SyncState>): SyncState {
  return {
    key,
    olderCursor: previous?.olderCursor ?? null,
    newestItemId: previous?.newestItemId ?? null,
    newestItemAt: previous?.newestItemAt ?? null,
    complete: previous?.complete ?? false,
    ...changes,
    updatedAt: now,
  };
}

function newer(item: Message, at: number | null): boolean {
  return at === null || item.sentAt >= at;
}

/** The items of a page newer than the newest stored one; `reached` once that one shows up. */
function takeNewer(items: Message[], state: SyncState): { fresh: Message[]; reached: boolean } {
  const fresh: Message[] = [];
  for (const item of items) {
    if (item.id === state.newestItemId || !newer(item, state.newestItemAt)) return { fresh, reached: true };
    fresh.push(item);
  }
  return { fresh, reached: false };
}

export class ThreadSync {
  constructor(private readonly ctx: SyncContext) {}

  private async firstPage(task: ThreadTask): Promise<Page> {
    if (task.inbox && task.inbox.items.length > 0) return fromInbox(task.inbox);
    return fromApi(await this.ctx.client.threadPage(task.threadId, null));
  }

  private async olderPage(threadId: string, cursor: string): Promise<Page> {
    return fromApi(await this.ctx.client.threadPage(threadId, cursor));
  }

  async run(task: ThreadTask): Promise<void> {
    const { store } = this.ctx;
    const id = task.threadId;
    this.ctx.seen(id);
    let state = await store.getSyncState(id);
    let stored = await store.getThread(id);
    if (this.ctx.isFullWalk(state) || state === null) {
      await this.walkFromNewest(task, state, stored);
    } else {
      const activity = task.inbox?.thread.lastActivityAt ?? null;
      const behind =
        stored?.lastActivityAt == null ||
        task.inbox === null ||
        (activity !== null && activity > stored.lastActivityAt);
      if (behind) await this.catchUp(task, state, stored);
    }
    state = await store.getSyncState(id);
    stored = await store.getThread(id);
    if (state && !state.complete) await this.walkOlder(id, state, stored);
  }

  /** First walk (or --full): the newest page sets the newest marker, then older pages follow. */
  private async walkFromNewest(task: ThreadTask, previous: SyncState | null, stored: Thread | null): Promise<void> {
    const page = await this.firstPage(task);
    const activity = task.inbox?.thread.lastActivityAt ?? page.thread.lastActivityAt;
    const record = this.ctx.threadRecord(page.thread, stored, task.inbox, activity);
    const batch = await this.ctx.threadPart(record, page.users, stored);
    const keys = await this.ctx.keysFor(task.threadId, stored ?? record);
    const head = page.items[0];
    const keepNewest = previous?.newestItemAt != null && (!head || previous.newestItemAt > head.sentAt);
    batch.messages = this.ctx.skipArchived(page.items, keys);
    batch.syncStates = [
      stateOf(task.threadId, previous, this.ctx.options.now(), {
        newestItemId: keepNewest ? previous!.newestItemId : (head?.id ?? null),
        newestItemAt: keepNewest ? previous!.newestItemAt : (head?.sentAt ?? null),
        olderCursor: page.olderCursor,
        complete: page.olderCursor === null,
      }),
    ];
    await this.ctx.write(batch);
  }

  /** Later runs: items newer than the newest stored one, page by page until it is reached. */
  private async catchUp(task: ThreadTask, state: SyncState, stored: Thread | null): Promise<void> {
    const id = task.threadId;
    let page = await this.firstPage(task);
    const newest = page.items[0];
    const activity = task.inbox?.thread.lastActivityAt ?? page.thread.lastActivityAt;
    let known = stored;
    for (;;) {
      const { fresh, reached } = takeNewer(page.items, state);
      const closed = reached || page.olderCursor === null;
      // Until the gap is closed the thread keeps its old activity and newest marker, so an
      // interrupted run catches up again from the top (re-stored items are no-ops).
      const record = this.ctx.threadRecord(page.thread, known, task.inbox, closed ? activity : null);
      const batch = await this.ctx.threadPart(record, page.users, known);
      // The page's stored items go along with the new ones: a reaction added to one of them (or an
      // unsend) is stored then. The store rewrites only rows that changed.
      batch.messages = this.ctx.skipArchived(
        [...fresh, ...page.items.slice(fresh.length)],
        await this.ctx.keysFor(id, known ?? record),
      );
      if (closed) {
        const moved = newest !== undefined && newest.id !== state.newestItemId && newer(newest, state.newestItemAt);
        batch.syncStates = [
          stateOf(
            id,
            state,
            this.ctx.options.now(),
            moved ? { newestItemId: newest.id, newestItemAt: newest.sentAt } : {},
          ),
        ];
      }
      await this.ctx.write(batch);
      if (closed) return;
      known ??= record;
      page = await this.olderPage(id, page.olderCursor!);
    }
  }

  /** The older side: from the saved cursor while Instagram has older items. */
  private async walkOlder(id: string, initial: SyncState, stored: Thread | null): Promise<void> {
    let state = initial;
    const keys = await this.ctx.keysFor(id, stored);
    while (!state.complete) {
      if (!state.olderCursor) {
        state = stateOf(id, state, this.ctx.options.now(), { complete: true });
        await this.ctx.write({ syncStates: [state] });
        return;
      }
      const page = await this.olderPage(id, state.olderCursor);
      state = stateOf(id, state, this.ctx.options.now(), {
        olderCursor: page.olderCursor,
        complete: page.olderCursor === null,
      });
      await this.ctx.write({
        users: page.users,
        messages: this.ctx.skipArchived(page.items, keys),
        syncStates: [state],
      });
    }
  }
}
