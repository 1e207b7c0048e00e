// Media of messages already in the store. An item fetched again from the API (a --full walk, a
// sync without --media) names no local file, and must not unlink the file an earlier run kept;
// `sync --media` also fetches what earlier runs without --media left behind.
import type { Message } from '../core/model.js';
import type { Store } from '../store/store.js';
import type { MediaFetcher } from './media-fetcher.js';

const BACKFILL_BATCH = 50;

/** Copies local paths of the stored copy onto re-fetched messages (in place). */
export async function keepStoredMediaPaths(store: Store, messages: Message[]): Promise<void> {
  for (const message of messages) {
    if (!message.media.some((media) => media.path === null)) continue;
    const stored = await store.getMessage(message.threadId, message.id);
    if (!stored) continue;
    message.media.forEach((media, index) => {
      const before = stored.media[index];
      if (media.path === null && before?.path && before.kind === media.kind) media.path = before.path;
    });
  }
}

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
