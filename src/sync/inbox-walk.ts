// The inbox (and the pending inbox of message requests), newest activity first. A first run (or
// --full) walks every page and stores each page's threads together with the inbox cursor, so an
// interrupted walk continues from there. Later runs read from the top only until a page reaches the
// inbox's mark: the activity up to which every thread was synced by the last run that finished (its
// state's newestItemAt, moved on by settle()). With nothing new, that is one request; a run that
// stopped part-way (a rate limit) leaves the mark, so the next one finds every thread it missed.
// A walk from the top marks the newest activity of its first page at once: every thread at or below
// it is stored by the walk or still ahead of its cursor, so an interrupted walk, when resumed, scans
// the top only down to there for threads that moved up meanwhile.
import { StatusMeta } from '../core/status-meta.js';
import type { InboxPage, InboxThread } from '../instagram/client.js';
import { RejectedError } from '../instagram/errors.js';
import type { Thread } from '../core/model.js';
import type { SyncState, WriteBatch } from '../store/store.js';
import type { SyncContext } from './sync-context.js';
import type { ThreadTask } from './thread-sync.js';

export type InboxKind = 'inbox' | 'pending';

export const INBOX_STATE_KEY: Record<InboxKind, string> = { inbox: '@inbox', pending: '@pending' };

interface Verdict {
  /** The thread needs a thread sync in this run. */
  needsSync: boolean;
  /** Its activity is newer than what is stored (drives where a scan stops). */
  isNewer: boolean;
  /** The thread as stored when the page was read. */
  stored: Thread | null;
}

export class InboxWalk {
  private readonly tasks = new Map<string, ThreadTask>();
  /** The newest thread activity this run saw: the mark once every thread sync of the run is done. */
  private newestSeen: number | null = null;
  private mark: number | null = null;
  /** Threads listed by the pages this run read, and whether those ran from the first to the last. */
  private readonly listed = new Set<string>();
  private readFromTop = false;
  private readToEnd = false;

  constructor(
    private readonly ctx: SyncContext,
    private readonly kind: InboxKind,
  ) {}

  private async fetch(cursor: string | null): Promise<InboxPage> {
    const page = await (this.kind === 'inbox'
      ? this.ctx.client.inboxPage(cursor)
      : this.ctx.client.pendingInboxPage(cursor));
    for (const entry of page.threads) this.listed.add(entry.thread.id);
    if (cursor === null) this.readFromTop = true;
    if (page.olderCursor === null) this.readToEnd = true;
    return page;
  }

  private async verdict(entry: InboxThread): Promise<Verdict> {
    const [stored, state] = await Promise.all([
      this.ctx.store.getThread(entry.thread.id),
      this.ctx.store.getSyncState(entry.thread.id),
    ]);
    const activity = entry.thread.lastActivityAt;
    const isNewer = stored?.lastActivityAt == null || (activity !== null && activity > stored.lastActivityAt);
    const needsSync = isNewer || state === null || !state.complete || this.ctx.isFullWalk(state);
    return { needsSync, isNewer, stored };
  }

  private learn(page: InboxPage): void {
    if (page.viewer) this.ctx.ownerName = page.viewer.fullName || page.viewer.username || this.ctx.ownerName;
  }

  private async consider(page: InboxPage): Promise<{ verdicts: Map<string, Verdict>; anyNotNewer: boolean }> {
    this.learn(page);
    const verdicts = new Map<string, Verdict>();
    let anyNotNewer = false;
    for (const entry of page.threads) {
      this.ctx.seen(entry.thread.id);
      const activity = entry.thread.lastActivityAt;
      if (activity !== null && (this.newestSeen === null || activity > this.newestSeen)) this.newestSeen = activity;
      const verdict = await this.verdict(entry);
      verdicts.set(entry.thread.id, verdict);
      if (verdict.needsSync && !this.tasks.has(entry.thread.id))
        this.tasks.set(entry.thread.id, { threadId: entry.thread.id, inbox: entry });
      if (!verdict.isNewer) anyNotNewer = true;
    }
    return { verdicts, anyNotNewer };
  }

  /** Stores a walked page: its threads (activity held back until their sync) and the cursor. */
  private async store(page: InboxPage, verdicts: Map<string, Verdict>, previous: SyncState | null): Promise<SyncState> {
    const batch: WriteBatch = { threads: [], users: page.viewer ? [page.viewer] : [], threadMerges: [] };
    for (const entry of page.threads) {
      const stored = await this.ctx.store.getThread(entry.thread.id);
      const held = verdicts.get(entry.thread.id)?.needsSync ? null : entry.thread.lastActivityAt;
      const part = await this.ctx.threadPart(
        this.ctx.threadRecord(entry.thread, stored, entry, held),
        entry.users,
        stored,
      );
      batch.threads!.push(...(part.threads ?? []));
      batch.users!.push(...(part.users ?? []));
      batch.threadMerges!.push(...(part.threadMerges ?? []));
    }
    if (batch.threadMerges!.length === 0) delete batch.threadMerges;
    const state: SyncState = {
      key: INBOX_STATE_KEY[this.kind],
      olderCursor: page.olderCursor,
      newestItemId: previous?.newestItemId ?? null,
      newestItemAt: previous ? previous.newestItemAt : this.newestSeen,
      complete: page.olderCursor === null,
      updatedAt: this.ctx.options.now(),
    };
    batch.syncStates = [state];
    if (page.viewer) batch.meta = { [StatusMeta.instagramViewerId]: page.viewer.id };
    await this.ctx.write(batch);
    return state;
  }

  /** Every page from `cursor` on, each stored with the cursor that continues after it. */
  private async walk(cursor: string | null, previous: SyncState | null): Promise<void> {
    let state = previous;
    let next = cursor;
    for (;;) {
      const page = await this.fetch(next);
      const { verdicts } = await this.consider(page);
      state = await this.store(page, verdicts, state);
      this.ctx.options.onProgress?.({
        phase: 'inbox',
        threadsDone: 0,
        threadsTotal: this.tasks.size,
        messagesAdded: this.ctx.counters.messagesAdded,
      });
      if (!page.olderCursor) return;
      next = page.olderCursor;
    }
  }

  /**
   * Threads a scan passes over whose request flag changed (a request accepted in the app moves to the
   * inbox without new activity): their record is rewritten, activity as stored.
   */
  private async noteMoves(page: InboxPage, verdicts: Map<string, Verdict>): Promise<void> {
    const threads = [];
    for (const entry of page.threads) {
      const verdict = verdicts.get(entry.thread.id);
      const stored = verdict?.stored ?? null;
      if (!stored || verdict?.needsSync || stored.isRequest === entry.thread.isRequest) continue;
      threads.push(this.ctx.threadRecord(entry.thread, stored, entry, stored.lastActivityAt));
    }
    if (threads.length > 0) await this.ctx.write({ threads });
  }

  /**
   * From the top until a page reaches the mark (its oldest thread is no newer: threads pinned at the
   * top with old activity do not end the scan). A store synced before marks existed has none yet:
   * until its first finished run, the scan ends at a page showing a thread no newer than stored.
   */
  private async scan(): Promise<void> {
    let cursor: string | null = null;
    for (;;) {
      const page = await this.fetch(cursor);
      const { verdicts, anyNotNewer } = await this.consider(page);
      await this.noteMoves(page, verdicts);
      const activities = page.threads.flatMap((entry) => entry.thread.lastActivityAt ?? []);
      const reached =
        this.mark === null ? anyNotNewer : activities.length === 0 || Math.min(...activities) <= this.mark;
      if (reached || !page.olderCursor) return;
      cursor = page.olderCursor;
    }
  }

  /** Runs the walk or the scan and returns the threads that need a sync, in inbox order. */
  async run(): Promise<ThreadTask[]> {
    const state = await this.ctx.store.getSyncState(INBOX_STATE_KEY[this.kind]);
    this.mark = state?.newestItemAt ?? null;
    if (state === null || this.ctx.isFullWalk(state)) {
      await this.walk(null, null);
    } else if (!state.complete) {
      // The walk goes on from its cursor, and the threads it stored are synced as unfinished. Those
      // with activity since it began moved to the top, above the walked part: the scan down to the
      // mark finds them in this run (usually one page). A walk begun before first pages were marked
      // has no mark: its stored threads all look new, so a scan would read the whole inbox; newer
      // activity at the top is then found by the next run's scan.
      if (this.mark !== null) await this.scan();
      await this.walk(state.olderCursor, state);
    } else {
      await this.scan();
    }
    if (this.kind === 'pending' && this.readFromTop && this.readToEnd) await this.noteAcceptedRequests();
    return [...this.tasks.values()];
  }

  /**
   * Requests stored as such that the whole pending inbox no longer lists: accepted in the app, or
   * declined. An accepted one moves to the inbox without new activity, maybe below where the inbox
   * scan stops, so each is looked up once: the thread says whether it is still pending. A declined
   * one is gone from Instagram; it is no longer a pending request either (or it would be looked up
   * on every run).
   */
  private async noteAcceptedRequests(): Promise<void> {
    const threads: Thread[] = [];
    for (const stored of await this.ctx.store.listThreads()) {
      if (!stored.isRequest || stored.source !== 'api' || this.listed.has(stored.id) || this.tasks.has(stored.id)) {
        continue;
      }
      try {
        const page = await this.ctx.client.threadPage(stored.id, null);
        if (page.thread.isRequest) continue;
      } catch (error) {
        if (!(error instanceof RejectedError && error.status === 404)) throw error;
      }
      const { messageCount: _count, lastMessageAt: _last, ...thread } = stored;
      threads.push({ ...thread, isRequest: false });
    }
    if (threads.length > 0) await this.ctx.write({ threads });
  }

  /** After every thread sync of the run finished: threads up to the newest activity seen are synced. */
  async settle(): Promise<void> {
    const key = INBOX_STATE_KEY[this.kind];
    const state = await this.ctx.store.getSyncState(key);
    if (!state || this.newestSeen === null || (state.newestItemAt !== null && state.newestItemAt >= this.newestSeen)) {
      return;
    }
    await this.ctx.write({
      syncStates: [{ ...state, newestItemAt: this.newestSeen, updatedAt: this.ctx.options.now() }],
    });
  }
}
