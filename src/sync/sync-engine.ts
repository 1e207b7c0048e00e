// `igtg sync`: inbox and message requests, then every thread that needs it (new activity, an
// unfinished history walk, or --full), one request at a time through the client's gate.
import { IgtgError } from '../core/errors.js';
import type { EpochMs } from '../core/model.js';
import type { InstagramClient } from '../instagram/client.js';
import { RejectedError } from '../instagram/errors.js';
import type { Store } from '../store/store.js';
import { InboxWalk } from './inbox-walk.js';
import { MediaFetcher } from './media-fetcher.js';
import { backfillMedia } from './stored-media.js';
import { SyncContext, type SyncProgress } from './sync-context.js';
import { ThreadSync, type ThreadTask } from './thread-sync.js';

export type { SyncProgress } from './sync-context.js';

/** Meta keys the sync keeps in the store. */
export const SyncMeta = {
  /** Set while a --full run is under way (ms); a later run finishes what it left. */
  fullSince: 'sync.full_since',
  /** Display name of the profile owner, to match archive participants. */
  ownerName: 'sync.owner_name',
} as const;

export interface SyncOptions {
  client: InstagramClient;
  store: Store;
  full?: boolean;
  /** Only these threads (API ids); no inbox walk. */
  threadIds?: string[] | null;
  /** Download media into this folder. */
  mediaDir?: string | null;
  now?: () => EpochMs;
  /** HTTP requests made so far (for the summary). */
  requests?: () => number;
  /** Extra meta written with the last batch (e.g. status.last_sync_at). */
  finalMeta?: () => Record<string, string>;
  onProgress?: (progress: SyncProgress) => void;
  onWarning?: (message: string) => void;
  /** Called between threads: throws to stop the sync (its profile lock was taken, sync-lock.ts). */
  checkLock?: () => Promise<void>;
}

export interface SyncSummary {
  threads: number;
  threads_updated: number;
  messages_added: number;
  requests: number;
  duration_ms: number;
  media_downloaded?: number;
}

/** Stored API threads whose history walk is unfinished (or predates a --full run). */
async function unfinishedThreads(ctx: SyncContext, store: Store, known: Set<string>): Promise<ThreadTask[]> {
  const tasks: ThreadTask[] = [];
  for (const thread of await store.listThreads()) {
    if (thread.id.startsWith('archive:') || known.has(thread.id)) continue;
    const state = await store.getSyncState(thread.id);
    if (state === null || !state.complete || ctx.isFullWalk(state)) tasks.push({ threadId: thread.id, inbox: null });
  }
  return tasks;
}

export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const requestsAtStart = options.requests?.() ?? 0;
  const { store, client } = options;

  const onlySome = Boolean(options.threadIds?.length);
  let fullSince: number | null = null;
  if (options.full) {
    fullSince = started;
    // Only a whole-inbox --full is resumed by later runs; a --thread one is simply run again.
    if (!onlySome) await store.setMeta(SyncMeta.fullSince, String(fullSince));
  } else if (!onlySome) {
    const saved = Number(await store.getMeta(SyncMeta.fullSince));
    fullSince = Number.isFinite(saved) && saved > 0 ? saved : null;
  }

  const media = options.mediaDir ? new MediaFetcher(client, options.mediaDir, options.onWarning) : null;
  const ctx = new SyncContext(client, store, {
    fullSince,
    media,
    now,
    onProgress: options.onProgress,
    onWarning: options.onWarning,
  });
  ctx.ownerName = await store.getMeta(SyncMeta.ownerName);

  let tasks: ThreadTask[];
  const walks: InboxWalk[] = [];
  if (onlySome) {
    tasks = options.threadIds!.map((threadId) => ({ threadId, inbox: null }));
  } else {
    walks.push(new InboxWalk(ctx, 'inbox'), new InboxWalk(ctx, 'pending'));
    const [inbox, pending] = [await walks[0]!.run(), await walks[1]!.run()];
    tasks = [...inbox, ...pending];
    if (ctx.ownerName) await store.setMeta(SyncMeta.ownerName, ctx.ownerName);
    tasks.push(...(await unfinishedThreads(ctx, store, new Set(tasks.map((task) => task.threadId)))));
  }

  const threadSync = new ThreadSync(ctx);
  const report = (done: number) =>
    options.onProgress?.({
      phase: 'threads',
      threadsDone: done,
      threadsTotal: tasks.length,
      messagesAdded: ctx.counters.messagesAdded,
    });
  report(0);
  for (const [index, task] of tasks.entries()) {
    await options.checkLock?.();
    try {
      await threadSync.run(task);
    } catch (error) {
      // A thread Instagram no longer has (deleted, left) must not stop the others or return forever.
      if (!(error instanceof RejectedError && error.status === 404)) throw error;
      // An id typed with --thread that Instagram does not know and was never stored is a mistake.
      if (onlySome && !(await store.getThread(task.threadId))) {
        throw new IgtgError(`no Instagram thread with id ${task.threadId}`, undefined, { cause: error });
      }
      options.onWarning?.(`thread ${task.threadId} is gone from Instagram; keeping what is stored`);
      const state = await store.getSyncState(task.threadId);
      await store.write({
        syncStates: [
          {
            key: task.threadId,
            olderCursor: null,
            newestItemId: state?.newestItemId ?? null,
            newestItemAt: state?.newestItemAt ?? null,
            complete: true,
            updatedAt: now(),
          },
        ],
      });
    }
    report(index + 1);
  }
  // Only now is every thread the walks found synced: their marks move on.
  await options.checkLock?.();
  for (const walk of walks) await walk.settle();

  if (media) {
    options.onProgress?.({
      phase: 'media',
      threadsDone: tasks.length,
      threadsTotal: tasks.length,
      messagesAdded: ctx.counters.messagesAdded,
    });
    await backfillMedia(store, media, onlySome ? options.threadIds! : null);
  }

  const meta: Record<string, string> = { ...options.finalMeta?.() };
  await store.write({ meta });
  if (fullSince !== null && !onlySome) await store.setMeta(SyncMeta.fullSince, null);

  const summary: SyncSummary = {
    threads: ctx.counters.threadsSeen.size,
    threads_updated: ctx.counters.threadsUpdated.size,
    messages_added: ctx.counters.messagesAdded,
    requests: (options.requests?.() ?? 0) - requestsAtStart,
    duration_ms: Math.max(0, now() - started),
  };
  if (media) summary.media_downloaded = media.downloaded;
  return summary;
}
