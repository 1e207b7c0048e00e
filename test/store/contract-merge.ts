// Contract: WriteBatch.threadMerges folds one thread into another (an archive thread into its API
// thread) in the batch's transaction.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/model.js';
import type { Store, SyncState } from '../../src/store/store.js';
import { type OpenStore, DAY, MINUTE, T0, collect, message, series, thread, withStore } from './fixtures.js';

const FROM = 'archive:zoe_1';
const INTO = '340282366841710300949128';

function state(key: string): SyncState {
  return { key, olderCursor: 'c', newestItemId: 'x', newestItemAt: T0, complete: false, updatedAt: T0 };
}

/** An archive thread of 3 messages (one of them, `dup`, also stored in the API thread) and another thread. */
async function seed(store: Store): Promise<void> {
  await store.write({
    threads: [
      thread(FROM, { title: 'Zoë', archiveFolder: 'zoe_1', lastActivityAt: T0 + 2 * MINUTE }),
      thread(INTO, { title: 'Zoë Müller', source: 'api', lastActivityAt: T0 + DAY }),
      thread('other'),
    ],
    messages: [
      message(FROM, 'a:1', { sentAt: T0, text: 'kölsch tonight?' }),
      message(FROM, 'a:2', { sentAt: T0 + MINUTE, text: 'archived photo caption' }),
      message(FROM, 'dup', { sentAt: T0 + 2 * MINUTE, text: 'archive copy of dup' }),
      message(INTO, 'dup', { sentAt: T0 + 2 * MINUTE, text: 'api copy of dup', source: 'api' }),
      message(INTO, 'i:9', { sentAt: T0 + DAY, text: 'newest from the api', source: 'api' }),
      ...series('other', 2),
    ],
    syncStates: [state(FROM), state(INTO)],
  });
}

const ids = (messages: Message[]): string[] => messages.map((m) => m.id);

export function mergeContract(open: OpenStore): void {
  describe('thread merges', () => {
    it(
      'moves the messages, drops the duplicates, deletes the thread and its sync state, recounts',
      withStore(open, async (store) => {
        await seed(store);
        const result = await store.write({
          threads: [thread(INTO, { title: 'Zoë Müller', source: 'api', archiveFolder: 'zoe_1', lastActivityAt: null })],
          threadMerges: [{ from: FROM, into: INTO }],
        });
        expect(result).toEqual({ messagesAdded: 0, addedMessageIds: [] });
        expect(await store.getThread(FROM)).toBeNull();
        expect(await store.getSyncState(FROM)).toBeNull();
        expect(await store.getSyncState(INTO)).toEqual(state(INTO));
        expect(await store.listMessages(FROM)).toEqual([]);
        const moved = await store.listMessages(INTO);
        expect(ids(moved)).toEqual(['a:1', 'a:2', 'dup', 'i:9']);
        expect(moved.every((m) => m.threadId === INTO)).toBe(true);
        // The message `into` already held wins.
        expect((await store.getMessage(INTO, 'dup'))?.text).toBe('api copy of dup');
        expect(await store.getMessage(INTO, 'a:1')).toEqual(
          message(INTO, 'a:1', { sentAt: T0, text: 'kölsch tonight?' }),
        );
        expect(await store.counts()).toEqual({ threads: 2, messages: 6, users: 0 });
        const summaries = await store.listThreads();
        expect(summaries.map((s) => [s.id, s.messageCount, s.lastMessageAt])).toEqual([
          [INTO, 4, T0 + DAY],
          ['other', 2, T0 + MINUTE],
        ]);
        expect(summaries[0]).toMatchObject({ archiveFolder: 'zoe_1', source: 'api', lastActivityAt: T0 + DAY });
        expect(ids(await store.listMessages('other'))).toEqual(['m000', 'm001']);
        expect(ids(await collect(store.streamMessages({ threadIds: [INTO] })))).toEqual(['a:1', 'a:2', 'dup', 'i:9']);
      }),
    );

    it(
      'keeps search consistent: moved messages are found under their new thread, dropped copies are gone',
      withStore(open, async (store) => {
        await seed(store);
        await store.write({ threadMerges: [{ from: FROM, into: INTO }] });
        const hits = await store.search({ text: 'kolsch' });
        expect(hits.map((h) => [h.threadId, h.threadTitle, h.message.id])).toEqual([[INTO, 'Zoë Müller', 'a:1']]);
        expect((await store.search({ text: 'caption', threadIds: [INTO] })).map((h) => h.message.id)).toEqual(['a:2']);
        expect(await store.search({ text: 'caption', threadIds: [FROM] })).toEqual([]);
        expect((await store.search({ text: 'dup' })).map((h) => [h.threadId, h.message.text])).toEqual([
          [INTO, 'api copy of dup'],
        ]);
        expect(await store.search({ text: 'archive copy' })).toEqual([]);
      }),
    );

    it(
      'gives moved messages a new store sequence number',
      withStore(open, async (store) => {
        await seed(store);
        const mark = await store.storeSeq();
        await store.write({ threadMerges: [{ from: FROM, into: INTO }] });
        expect(await store.storeSeq()).toBeGreaterThan(mark);
        const since = await collect(store.streamMessages({ storedAfterSeq: mark }));
        expect(since.map((m) => `${m.threadId}/${m.id}`)).toEqual([`${INTO}/a:1`, `${INTO}/a:2`]);
      }),
    );

    it(
      'moves bridge mappings and topics (a topic of a chat the target already has one in is dropped)',
      withStore(open, async (store) => {
        await seed(store);
        const base = { direction: 'to_telegram' as const, createdAt: T0 };
        await store.putMapping({ ...base, telegramChatId: 'c1', telegramMessageId: 1, threadId: FROM, itemId: 'a:1' });
        await store.putMapping({
          ...base,
          telegramChatId: 'c1',
          telegramMessageId: 2,
          threadId: 'other',
          itemId: 'm000',
        });
        await store.putTopic({ threadId: FROM, telegramChatId: 'c1', topicId: 10 });
        await store.putTopic({ threadId: FROM, telegramChatId: 'c2', topicId: 20 });
        await store.putTopic({ threadId: INTO, telegramChatId: 'c2', topicId: 21 });
        await store.write({ threadMerges: [{ from: FROM, into: INTO }] });
        expect(await store.findMappingByTelegram('c1', 1)).toMatchObject({ threadId: INTO, itemId: 'a:1' });
        expect((await store.findMappingsByItem(INTO, 'a:1')).map((m) => m.telegramMessageId)).toEqual([1]);
        expect(await store.findMappingsByItem(FROM, 'a:1')).toEqual([]);
        expect(await store.findMappingByTelegram('c1', 2)).toMatchObject({ threadId: 'other' });
        expect(await store.getTopicByThread(INTO, 'c1')).toEqual({ threadId: INTO, telegramChatId: 'c1', topicId: 10 });
        expect(await store.getTopicByThread(INTO, 'c2')).toEqual({ threadId: INTO, telegramChatId: 'c2', topicId: 21 });
        expect(await store.getTopicByThread(FROM, 'c1')).toBeNull();
        expect(await store.getTopicById('c2', 20)).toBeNull();
      }),
    );

    it(
      'applies after the threads and before the messages of the same batch',
      withStore(open, async (store) => {
        await store.write({ threads: [thread(FROM)], messages: series(FROM, 3) });
        const result = await store.write({
          threads: [thread(INTO, { source: 'api' })],
          threadMerges: [{ from: FROM, into: INTO }],
          messages: [message(INTO, 'm001', { text: 'again' }), message(INTO, 'i:1', { sentAt: T0 + DAY })],
          syncStates: [state(INTO)],
        });
        expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i:1'] });
        expect(ids(await store.listMessages(INTO))).toEqual(['m000', 'm001', 'm002', 'i:1']);
        expect((await store.getMessage(INTO, 'm001'))?.text).toBe('again');
        expect((await store.listThreads()).map((s) => [s.id, s.messageCount, s.lastMessageAt])).toEqual([
          [INTO, 4, T0 + DAY],
        ]);
        expect(await store.getSyncState(INTO)).toEqual(state(INTO));
      }),
    );

    it(
      'is a no-op for a thread merged into itself or a thread that is not stored',
      withStore(open, async (store) => {
        await seed(store);
        const before = await store.listThreads();
        await store.write({
          threadMerges: [
            { from: INTO, into: INTO },
            { from: 'archive:gone', into: INTO },
            { from: 'archive:gone', into: 'nowhere' },
          ],
        });
        expect(await store.listThreads()).toEqual(before);
        expect(ids(await store.listMessages(FROM))).toEqual(['a:1', 'a:2', 'dup']);
        expect(await store.getSyncState(FROM)).toEqual(state(FROM));
      }),
    );

    it(
      'merges a thread only once: a repeated merge is a no-op',
      withStore(open, async (store) => {
        await seed(store);
        await store.write({ threadMerges: [{ from: FROM, into: INTO }] });
        const after = await store.listThreads();
        await store.write({ threadMerges: [{ from: FROM, into: INTO }] });
        expect(await store.listThreads()).toEqual(after);
        expect(ids(await store.listMessages(INTO))).toEqual(['a:1', 'a:2', 'dup', 'i:9']);
      }),
    );

    it(
      'rejects a merge into a thread that is not stored and writes nothing of its batch',
      withStore(open, async (store) => {
        await seed(store);
        await expect(
          store.write({ threads: [thread('new')], threadMerges: [{ from: FROM, into: 'missing' }] }),
        ).rejects.toThrow();
        expect(await store.getThread('new')).toBeNull();
        expect(ids(await store.listMessages(FROM))).toEqual(['a:1', 'a:2', 'dup']);
      }),
    );

    // A merge this long is moved in steps of their own on MongoDB (moveInSteps): the batch must be
    // refused before them.
    it(
      'refuses a long merge whose batch holds a bad message before moving anything',
      withStore(open, async (store) => {
        await seed(store);
        await store.write({ messages: series(FROM, 5_001, (index) => ({ sentAt: T0 + 3 * MINUTE + index })) });
        const before = await store.listThreads();
        const bad = message(INTO, 'bad', { sentAt: Number.NaN });
        await expect(store.write({ threadMerges: [{ from: FROM, into: INTO }], messages: [bad] })).rejects.toThrow();
        expect(await store.listThreads()).toEqual(before);
        expect(ids(await store.listMessages(INTO))).toEqual(['dup', 'i:9']);
      }),
    );

    it(
      'rejects messages of the merged-away thread in the same batch and writes nothing of it',
      withStore(open, async (store) => {
        await seed(store);
        await expect(
          store.write({ threadMerges: [{ from: FROM, into: INTO }], messages: [message(FROM, 'a:3')] }),
        ).rejects.toThrow();
        expect(ids(await store.listMessages(FROM))).toEqual(['a:1', 'a:2', 'dup']);
        expect(ids(await store.listMessages(INTO))).toEqual(['dup', 'i:9']);
      }),
    );

    it(
      'is atomic with the rest of the batch: a failure later in the batch undoes the merge',
      withStore(open, async (store) => {
        await seed(store);
        await store.putMapping({
          telegramChatId: 'c1',
          telegramMessageId: 1,
          threadId: FROM,
          itemId: 'a:1',
          direction: 'to_telegram',
          createdAt: T0,
        });
        const before = await store.listThreads();
        const seq = await store.storeSeq();
        const poisoned = message(INTO, 'i:10');
        Object.defineProperty(poisoned, 'text', {
          enumerable: true,
          get() {
            throw new Error('injected failure');
          },
        });
        await expect(
          store.write({
            threads: [thread(INTO, { source: 'api', title: 'Renamed' })],
            threadMerges: [{ from: FROM, into: INTO }],
            messages: [message(INTO, 'i:11'), poisoned],
          }),
        ).rejects.toThrow();
        expect(await store.listThreads()).toEqual(before);
        expect(await store.storeSeq()).toBe(seq);
        expect(ids(await store.listMessages(FROM))).toEqual(['a:1', 'a:2', 'dup']);
        expect(ids(await store.listMessages(INTO))).toEqual(['dup', 'i:9']);
        expect(await store.getSyncState(FROM)).toEqual(state(FROM));
        expect((await store.findMappingByTelegram('c1', 1))?.threadId).toBe(FROM);
        expect((await store.search({ text: 'kolsch' })).map((h) => h.threadId)).toEqual([FROM]);
        expect((await store.search({ text: 'archive copy' })).map((h) => h.threadId)).toEqual([FROM]);
      }),
    );
  });
}
