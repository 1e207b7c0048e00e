// The MongoDB adapter's writes take turns inside one process (MongoStore.inTurn), against the
// in-memory stand-in of fake-mongo.ts.
import { ObjectId, type ClientSession, type MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { LARGE_MERGE } from '../../src/store/mongo/thread-merge.js';
import { fakeMongo } from './fake-mongo.js';
import { message, series, thread } from './fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A replica set's client: every write runs in a transaction (here: the callback, once). */
function replicaSetClient(onClose: () => void = () => undefined): MongoClient {
  const session = {
    withTransaction: async <T>(callback: (session: ClientSession) => Promise<T>) => callback(session as never),
    endSession: async () => undefined,
  };
  return { startSession: () => session, close: async () => onClose() } as unknown as MongoClient;
}

describe('MongoDB store writes of one process', () => {
  it('take turns in transactions too: two at once would conflict on the seq counter', async () => {
    const { fakes, collections } = fakeMongo();
    const events: string[] = [];
    const bulkWrite = fakes.messages.bulkWrite.bind(fakes.messages);
    fakes.messages.bulkWrite = async (...args: Parameters<typeof bulkWrite>) => {
      const id = (args[0][0] as { updateOne: { filter: { id: string } } }).updateOne.filter.id;
      events.push(`start ${id}`);
      await sleep(30);
      events.push(`end ${id}`);
      return bulkWrite(...args);
    };
    const store = new MongoStore(replicaSetClient(), collections, true, 'mongodb://127.0.0.1/igtg');
    await Promise.all([
      store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] }),
      store.write({ threads: [thread('t1')], messages: [message('t1', 'm2')] }),
    ]);
    expect(events).toEqual(['start m1', 'end m1', 'start m2', 'end m2']);
    expect(fakes.messages.docs.map((doc) => [doc.id, doc.seq])).toEqual([
      ['m1', 1],
      ['m2', 2],
    ]);
  });

  it('enqueue outbox entries in the order of their ids, so a lane is delivered in order', async () => {
    const { fakes, collections } = fakeMongo();
    const insertOne = fakes.outbox.insertOne.bind(fakes.outbox);
    let first = true;
    fakes.outbox.insertOne = async (...args: Parameters<typeof insertOne>) => {
      if (first) {
        first = false;
        await sleep(50); // the first insert is slow on the wire
      }
      return insertOne(...args);
    };
    const store = new MongoStore(replicaSetClient(), collections, true, 'mongodb://127.0.0.1/igtg');
    const entry = (key: string) => ({ direction: 'to_telegram' as const, dedupeKey: key, lane: 'chat', payload: {} });
    const [a, b] = await Promise.all([store.enqueue(entry('a'), 1), store.enqueue(entry('b'), 2)]);
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(fakes.outbox.docs.map((doc) => doc._id)).toEqual([1, 2]);
  });

  it('closes only after the writes still queued, which would fail on a closed client', async () => {
    const { fakes, collections } = fakeMongo();
    const events: string[] = [];
    const bulkWrite = fakes.messages.bulkWrite.bind(fakes.messages);
    fakes.messages.bulkWrite = async (...args: Parameters<typeof bulkWrite>) => {
      await sleep(30);
      events.push('written');
      return bulkWrite(...args);
    };
    const store = new MongoStore(
      replicaSetClient(() => events.push('closed')),
      collections,
      true,
      'mongodb://127.0.0.1/igtg',
    );
    const written = store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await store.close();
    await written;
    expect(events).toEqual(['written', 'closed']);
  });

  it('refuse a bad batch before moving the messages of its long merge in steps of their own', async () => {
    const { fakes, collections, write } = fakeMongo();
    await write({ threads: [thread('archive:z'), thread('api', { source: 'api' })], messages: series('archive:z', 1) });
    // Copies of the stored one: written one by one, the stand-in takes long over its unique index.
    const [first] = fakes.messages.docs;
    for (let index = 1; index <= LARGE_MERGE; index += 1) {
      fakes.messages.docs.push({ ...first, _id: new ObjectId(), id: `m${index}` });
    }
    const store = new MongoStore(replicaSetClient(), collections, true, 'mongodb://127.0.0.1/igtg');
    const bad = message('api', 'bad', { sentAt: Number.NaN });
    await expect(store.write({ threadMerges: [{ from: 'archive:z', into: 'api' }], messages: [bad] })).rejects.toThrow(
      StoreError,
    );
    expect(fakes.messages.docs.filter((doc) => doc.threadId === 'api')).toEqual([]);
  });
});
