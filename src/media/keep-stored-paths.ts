// Media files a message already has in the store. A copy of the message that names no local file
// (fetched again without --media, or re-imported with --no-media) must not unlink the file an
// earlier run kept: its path is carried over.
import type { Message } from '../core/model.js';
import type { Store } from '../store/store.js';

/** Copies local paths of the stored copy onto re-fetched messages (in place). */
export async function keepStoredMediaPaths(store: Pick<Store, 'getMessage'>, messages: Message[]): Promise<void> {
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
