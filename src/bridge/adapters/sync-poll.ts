// The bridge's Instagram receiving by polling: the sync engine's incremental path (inbox and
// requests from the top until nothing is newer, then only the threads with newer activity, and in
// them only the items newer than the newest stored one; cursors advance only after the items are
// stored). The first sync of a never-synced store is history: it is stored, not forwarded.
import type { InstagramClient } from '../../instagram/client.js';
import type { Store } from '../../store/store.js';
import { runSync } from '../../sync/sync-engine.js';
import { INBOX_STATE_KEY } from '../../sync/inbox-walk.js';
import { BridgeMeta } from '../core/state-keys.js';
import type { InstagramPollResult } from '../ports.js';

export interface SyncPollDeps {
  store: Store;
  /** Requests made so far by the client (its request gate). */
  requests: () => number;
  /** Meta written with the sync's last batch (e.g. status.last_sync_at). */
  finalMeta?: () => Record<string, string>;
  onWarning?: (message: string) => void;
}

async function baselineState(store: Store): Promise<string> {
  const known = await store.getMeta(BridgeMeta.historyBaseline);
  if (known !== null) return known;
  const synced = (await store.getSyncState(INBOX_STATE_KEY.inbox)) !== null;
  const state = synced ? 'done' : 'pending';
  await store.setMeta(BridgeMeta.historyBaseline, state);
  return state;
}

export function syncPoll(deps: SyncPollDeps) {
  const { store } = deps;
  return async (client: InstagramClient): Promise<InstagramPollResult> => {
    const baseline = await baselineState(store);
    const seqBefore = await store.storeSeq();
    const summary = await runSync({
      client,
      store,
      requests: deps.requests,
      ...(deps.finalMeta ? { finalMeta: deps.finalMeta } : {}),
      ...(deps.onWarning ? { onWarning: deps.onWarning } : {}),
    });
    if (baseline === 'pending') {
      // Everything stored so far is history: forwarding starts after it.
      await store.write({
        meta: { [BridgeMeta.forwardSeq]: String(await store.storeSeq()), [BridgeMeta.historyBaseline]: 'done' },
      });
      return { requests: summary.requests, addedMessageIds: [] };
    }
    const added: string[] = [];
    if (summary.messages_added > 0) {
      for await (const message of store.streamMessages({ storedAfterSeq: seqBefore })) {
        added.push(message.id);
        if (added.length >= summary.messages_added) break;
      }
    }
    return { requests: summary.requests, addedMessageIds: added };
  };
}
