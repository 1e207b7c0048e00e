// `sync --media` also fetches the media of stored messages that earlier runs without --media left
// behind (keeping the files earlier runs kept is media/keep-stored-paths.ts).
import type { Message } from '../core/model.js';
import type { Store } from '../store/store.js';
import type { MediaFetcher } from './media-fetcher.js';

const BACKFILL_BATCH = 50;

const needsDownload = (message: Message) =>
  message.source === 'api' && message.media.some((media) => media.path === null && media.url !== null);

/** Downloads the missing media of stored API messages (all threads, or only `threadIds`). */
export async function backfillMedia(store: Store, media: MediaFetcher, threadIds: string[] | null): Promise<void> {
  // Collected first: the SQLite adapter cannot write while a stream over it is open.
  const missing: Message[] = [];
  for await (const message of store.streamMessages(threadIds ? { threadIds } : {})) {
    if (needsDownload(message) && !media.failedBefore(message)) missing.push(message);
  }
  for (let start = 0; start < missing.length; start += BACKFILL_BATCH) {
    const batch = missing.slice(start, start + BACKFILL_BATCH);
    await media.attach(batch);
    await store.write({ messages: batch });
  }
}
