// A merge of an archive thread into its API twin that was cut short (MongoDB moves a long thread in
// steps after storing the API thread; a failure there leaves both stored): the next sync sends it again.
import { afterEach, describe, expect, it } from 'vitest';
import type { InstagramClient } from '../../src/instagram/client.js';
import type { Store } from '../../src/store/store.js';
import { SyncContext } from '../../src/sync/sync-context.js';
import { T0, MINUTE, apiThread, message, thread } from '../store/fixtures.js';
import { tempSqliteStore } from '../store/temp-sqlite-store.js';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function contextOn(store: Store): Promise<SyncContext> {
  return new SyncContext(null as unknown as InstagramClient, store, { fullSince: null, media: null, now: Date.now });
}

describe('a merge cut short', () => {
  it('is sent again when the API thread is stored with the folder of a twin that still exists', async () => {
    const opened = await tempSqliteStore('igtg-unfinished-merge-');
    cleanup = opened.cleanup;
    const { store } = opened;
    const api = apiThread('api', { archiveFolder: 'zoe_1' });
    await store.write({
      threads: [thread('archive:zoe_1', { archiveFolder: 'zoe_1' }), api],
      messages: [
        message('archive:zoe_1', 'a:2', { sentAt: T0 + 2 * MINUTE, text: 'left behind' }),
        message('api', 'a:1', { sentAt: T0 + MINUTE, text: 'moved already' }),
      ],
    });
    const ctx = await contextOn(store);
    const batch = await ctx.threadPart(api, [], (await store.getThread('api'))!);
    expect(batch.threadMerges).toEqual([{ from: 'archive:zoe_1', into: 'api' }]);
    // Items of the API that repeat an archive message, moved or not, are left out.
    const keys = (await ctx.keysFor('api', api))!;
    expect(keys.matches(message('api', 'i:1', { sentAt: T0 + MINUTE, text: 'moved already', source: 'api' }))).toBe(
      true,
    );
    expect(keys.matches(message('api', 'i:2', { sentAt: T0 + 2 * MINUTE, text: 'left behind', source: 'api' }))).toBe(
      true,
    );
    await store.write(batch);
    expect((await store.listThreads()).map((t) => [t.id, t.messageCount])).toEqual([['api', 2]]);

    // Once finished, nothing more is sent.
    const again = await (await contextOn(store)).threadPart(api, [], (await store.getThread('api'))!);
    expect(again.threadMerges).toBeUndefined();
  });
});
