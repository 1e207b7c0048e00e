// A small "what is new" poll on the InstagramClient port, used until the sync engine offers one:
// the first inbox page (and pending requests), and for each thread whose newest item is not yet
// stored, its newest thread page when the inbox preview may have skipped items. Everything is
// written through store.write (idempotent); the stored state is the only cursor.
import type { InstagramClient, InboxPage } from '../../instagram/client.js';
import type { Message } from '../../core/model.js';
import type { Store } from '../../store/store.js';
import type { InstagramPollResult } from '../ports.js';

export function recentPoll(client: InstagramClient, store: Store, options: { pending?: boolean } = {}) {
  return async (): Promise<InstagramPollResult> => {
    let requests = 0;
    const added: string[] = [];
    const pages: Array<{ page: InboxPage; request: boolean }> = [];
    pages.push({ page: await client.inboxPage(null), request: false });
    requests += 1;
    if (options.pending ?? true) {
      pages.push({ page: await client.pendingInboxPage(null), request: true });
      requests += 1;
    }
    for (const { page, request } of pages) {
      for (const entry of page.threads) {
        const thread = request ? { ...entry.thread, isRequest: true } : entry.thread;
        const newest = entry.items[0];
        if (!newest) {
          await store.write({ threads: [thread], users: entry.users });
          continue;
        }
        if (await store.getMessage(thread.id, newest.id)) {
          // Nothing new, but unsends/reactions of the preview items are refreshed.
          const result = await store.write({ threads: [thread], users: entry.users, messages: entry.items });
          added.push(...result.addedMessageIds);
          continue;
        }
        let items: Message[] = entry.items;
        const oldestPreview = entry.items.at(-1);
        const previewReachesStored = oldestPreview ? await store.getMessage(thread.id, oldestPreview.id) : null;
        if (!previewReachesStored && entry.hasOlder) {
          const page = await client.threadPage(thread.id, null);
          requests += 1;
          items = mergeItems(entry.items, page.items);
        }
        // Oldest first, so the store's sequence (and the bridge's forwarding) follows the thread's order.
        const ordered = [...items].sort((a, b) => a.sentAt - b.sentAt || a.id.localeCompare(b.id));
        const result = await store.write({ threads: [thread], users: entry.users, messages: ordered });
        added.push(...result.addedMessageIds);
      }
    }
    return { requests, addedMessageIds: added };
  };
}

function mergeItems(a: Message[], b: Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const item of [...b, ...a]) byId.set(item.id, item);
  return [...byId.values()];
}
