// The MongoDB adapter on a standalone server (no transactions), against the in-memory stand-in of
// fake-mongo.ts: a write reserves seq numbers before its messages land, so storeSeq() must not be
// read in between, or the bridge's forwarder would scan past messages still being written.
import type { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { fakeMongo } from './fake-mongo.js';
import { message, thread } from './fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MongoDB store on a standalone server', () => {
  it('never reports a store seq ahead of the messages this process is still writing', async () => {
    const { fakes, collections } = fakeMongo();
    const bulkWrite = fakes.messages.bulkWrite.bind(fakes.messages);
    fakes.messages.bulkWrite = async (...args: Parameters<typeof bulkWrite>) => {
      await sleep(50);
      return bulkWrite(...args);
    };
    const client = { close: async () => undefined } as unknown as MongoClient;
    const store = new MongoStore(client, collections, false, 'mongodb://127.0.0.1/igtg');

    const writing = store.write({ threads: [thread('t1')], messages: [message('t1', 'm1'), message('t1', 'm2')] });
    await sleep(10); // the write has reserved its seqs and is in its bulk write
    const upTo = await store.storeSeq();
    const storedSeqs = fakes.messages.docs.map((doc) => doc.seq as number);
    // Every seq below the reported one is a stored message.
    for (let seq = 1; seq < upTo; seq++) expect(storedSeqs).toContain(seq);
    expect(upTo).toBe(3);
    await writing;
  });

  it("refuses packed messages: it has no packer, so they can only be another store's", async () => {
    const { collections } = fakeMongo();
    const client = { close: async () => undefined } as unknown as MongoClient;
    const store = new MongoStore(client, collections, false, 'mongodb://127.0.0.1/igtg');
    expect('messagePacker' in store).toBe(false);
    const packed = { count: 1, add: () => undefined };
    await expect(store.write({ threads: [thread('t1')], packed })).rejects.toThrow(/packed messages/);
  });
});
