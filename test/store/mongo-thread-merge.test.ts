// The MongoDB adapter's thread merge against the in-memory stand-in of fake-mongo.ts (no server
// here). It checks the adapter's logic; the contract suite checks it on a real server.
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { moveInSteps } from '../../src/store/mongo/thread-merge.js';
import { counter, fakeMongo } from './fake-mongo.js';
import { DAY, MINUTE, T0, message, thread } from './fixtures.js';

async function seeded() {
  const store = fakeMongo();
  await store.write({
    threads: [thread('archive:z', { archiveFolder: 'z' }), thread('api', { source: 'api' })],
    messages: [
      message('archive:z', 'a:1', { sentAt: T0, text: 'one two' }),
      message('archive:z', 'dup', { sentAt: T0 + MINUTE, text: 'three four five' }),
      message('api', 'dup', { sentAt: T0 + MINUTE, text: 'three' }),
      message('api', 'i:1', { sentAt: T0 + DAY, text: null }),
    ],
    syncStates: [
      { key: 'archive:z', olderCursor: null, newestItemId: null, newestItemAt: null, complete: true, updatedAt: T0 },
    ],
  });
  store.fakes.topics.docs.push(
    { _id: new ObjectId(), threadId: 'archive:z', telegramChatId: 'c1', topicId: 1 },
    { _id: new ObjectId(), threadId: 'archive:z', telegramChatId: 'c2', topicId: 2 },
    { _id: new ObjectId(), threadId: 'api', telegramChatId: 'c2', topicId: 3 },
  );
  store.fakes.mappings.docs.push({
    _id: new ObjectId(),
    telegramChatId: 'c1',
    telegramMessageId: 5,
    threadId: 'archive:z',
  });
  return store;
}

describe('mongo thread merge', () => {
  it('re-keys messages in place (same _id), drops duplicates, fixes counters, moves mappings', async () => {
    const { fakes, write } = await seeded();
    const before = fakes.messages.docs.find((doc) => doc.threadId === 'archive:z' && doc.id === 'a:1')!;
    expect(counter(fakes, 'messageSeq')).toBe(4);
    expect([counter(fakes, 'searchRows'), counter(fakes, 'searchWords')]).toEqual([3, 6]);

    await write({ threadMerges: [{ from: 'archive:z', into: 'api' }] });

    expect(fakes.messages.docs.map((doc) => `${doc.threadId}/${doc.id}`).sort()).toEqual([
      'api/a:1',
      'api/dup',
      'api/i:1',
    ]);
    const moved = fakes.messages.docs.find((doc) => doc.id === 'a:1')!;
    expect((moved._id as ObjectId).equals(before._id as ObjectId)).toBe(true);
    expect(moved.seq).toBe(5);
    expect(fakes.messages.docs.find((doc) => doc.id === 'dup')!.text).toBe('three');
    expect(counter(fakes, 'messageSeq')).toBe(5);
    // The dropped copy had 3 words.
    expect([counter(fakes, 'searchRows'), counter(fakes, 'searchWords')]).toEqual([2, 3]);
    expect(fakes.threads.docs.map((doc) => doc._id)).toEqual(['api']);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 3, lastMessageAt: T0 + DAY, activityAt: T0 + DAY });
    expect(fakes.syncState.docs).toEqual([]);
    expect(fakes.mappings.docs.map((doc) => doc.threadId)).toEqual(['api']);
    expect(fakes.topics.docs.map((doc) => [doc.threadId, doc.telegramChatId, doc.topicId])).toEqual([
      ['api', 'c1', 1],
      ['api', 'c2', 3],
    ]);
  });

  it('is a no-op for a missing or identical thread, and for a second run', async () => {
    const { fakes, write } = await seeded();
    await write({ threadMerges: [{ from: 'archive:z', into: 'api' }] });
    const snapshot = structuredClone(fakes);
    await write({
      threadMerges: [
        { from: 'archive:z', into: 'api' },
        { from: 'api', into: 'api' },
        { from: 'gone', into: 'nowhere' },
      ],
    });
    expect(fakes.messages.docs).toEqual(snapshot.messages.docs);
    expect(fakes.threads.docs).toEqual(snapshot.threads.docs);
    expect(fakes.counters.docs).toEqual(snapshot.counters.docs);
  });

  it('rejects, before writing anything, a merge into a missing thread or messages of the merged thread', async () => {
    const { fakes, write } = await seeded();
    const snapshot = structuredClone(fakes);
    await expect(write({ users: [], threadMerges: [{ from: 'archive:z', into: 'missing' }] })).rejects.toThrow(
      StoreError,
    );
    await expect(
      write({ threadMerges: [{ from: 'archive:z', into: 'api' }], messages: [message('archive:z', 'a:2')] }),
    ).rejects.toThrow(StoreError);
    expect(fakes).toEqual(snapshot);
  });

  it('stores the batch messages into the merged thread after the merge', async () => {
    const { fakes, write } = await seeded();
    const result = await write({
      threads: [thread('api', { source: 'api', archiveFolder: 'z' })],
      threadMerges: [{ from: 'archive:z', into: 'api' }],
      messages: [
        message('api', 'a:1', { sentAt: T0, text: 'one two' }),
        message('api', 'i:2', { sentAt: T0 + 2 * DAY }),
      ],
    });
    expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i:2'] });
    expect(fakes.threads.docs).toHaveLength(1);
    expect(fakes.threads.docs[0]).toMatchObject({ archiveFolder: 'z', messageCount: 4, lastMessageAt: T0 + 2 * DAY });
  });

  it('moves a large thread in steps of their own transactions, ending as one merge does', async () => {
    const longThread = async () => {
      const store = fakeMongo();
      const messages = Array.from({ length: 11 }, (_, i) =>
        message('archive:z', `a:${i}`, { sentAt: T0 + i * MINUTE, text: `word${i} more` }),
      );
      await store.write({
        threads: [thread('archive:z', { archiveFolder: 'z' }), thread('api', { source: 'api' })],
        messages: [
          ...messages,
          message('api', 'a:3', { sentAt: T0 + 3 * MINUTE, text: 'kept' }),
          message('api', 'a:9', { sentAt: T0 + 9 * MINUTE, text: 'kept' }),
        ],
      });
      return store;
    };
    const state = ({ fakes }: ReturnType<typeof fakeMongo>) => ({
      messages: fakes.messages.docs.map((doc) => `${doc.threadId}/${doc.id}/${doc.text}`).sort(),
      threads: fakes.threads.docs.map((doc) => [doc._id, doc.messageCount, doc.lastMessageAt]),
      search: [counter(fakes, 'searchRows'), counter(fakes, 'searchWords')],
    });
    const merge = [{ from: 'archive:z', into: 'api' }];

    const whole = await longThread();
    await whole.write({ threadMerges: merge });

    const stepped = await longThread();
    let steps = 0;
    const counted: typeof stepped.inTransaction = (work) => {
      steps += 1;
      return stepped.inTransaction(work);
    };
    await moveInSteps(stepped.collections, merge, counted, { large: 5, step: 4 });
    expect(steps).toBe(4); // 4 + 4 + 3 messages, then a step that finds none
    expect(stepped.fakes.messages.docs.filter((doc) => doc.threadId === 'archive:z')).toEqual([]);
    await stepped.write({ threadMerges: merge });
    expect(state(stepped)).toEqual(state(whole));
    expect(state(whole).threads).toEqual([['api', 11, T0 + 10 * MINUTE]]);

    // A merge at or under `large`, or of a thread not stored, is left to the batch's transaction.
    const small = await longThread();
    await moveInSteps(small.collections, merge, small.inTransaction, { large: 11, step: 4 });
    await moveInSteps(small.collections, [{ from: 'archive:z', into: 'nowhere' }], small.inTransaction, { large: 1 });
    expect(small.fakes.messages.docs.filter((doc) => doc.threadId === 'archive:z')).toHaveLength(11);
  });

  it('moves a large thread in steps into a thread the batch itself brings (a sync meeting an import)', async () => {
    const imported = async () => {
      const store = fakeMongo();
      await store.write({
        threads: [thread('archive:z', { archiveFolder: 'z' })],
        messages: Array.from({ length: 11 }, (_, i) =>
          message('archive:z', `a:${i}`, { sentAt: T0 + i * MINUTE, text: `word${i} more` }),
        ),
      });
      return store;
    };
    const batch = { threads: [thread('api', { source: 'api' })], threadMerges: [{ from: 'archive:z', into: 'api' }] };
    const state = ({ fakes }: ReturnType<typeof fakeMongo>) => ({
      messages: fakes.messages.docs.map((doc) => `${doc.threadId}/${doc.id}`).sort(),
      threads: fakes.threads.docs.map((doc) => [doc._id, doc.messageCount, doc.lastMessageAt]),
    });

    const whole = await imported();
    await whole.write(batch);

    const stepped = await imported();
    let steps = 0;
    const counted: typeof stepped.inTransaction = (work) => {
      steps += 1;
      return stepped.inTransaction(work);
    };
    await moveInSteps(stepped.collections, batch.threadMerges, counted, { large: 5, step: 4, threads: batch.threads });
    expect(steps).toBe(5); // the thread, then 4 + 4 + 3 messages, then a step that finds none
    expect(stepped.fakes.messages.docs.filter((doc) => doc.threadId === 'archive:z')).toEqual([]);
    await stepped.write(batch);
    expect(state(stepped)).toEqual(state(whole));
    expect(state(whole).threads).toEqual([['api', 11, T0 + 10 * MINUTE]]);
  });
});
