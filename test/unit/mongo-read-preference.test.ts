// Where the MongoDB adapter's reads go when the URL asks for secondaries. Built on real driver objects
// that never connect (cursors and sessions are created lazily): no server is needed or faked.
import { MongoClient, type ClientSession } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionsOf } from '../../src/store/mongo/collections.js';
import { TRANSACTION_OPTIONS } from '../../src/store/mongo/topology.js';

const client = new MongoClient('mongodb://127.0.0.1:1/?readPreference=secondaryPreferred&serverSelectionTimeoutMS=200');
const collections = collectionsOf(client.db('igtg_unit'));

afterAll(async () => {
  await client.close();
});

async function inTransaction(
  options: Parameters<ClientSession['startTransaction']>[0],
  read: (session: ClientSession) => { readPreference: { mode: string } },
): Promise<string> {
  const session = client.startSession();
  try {
    session.startTransaction(options);
    return read(session).readPreference.mode;
  } finally {
    await session.endSession();
  }
}

describe('read preference', () => {
  it('reads every collection from the primary, whatever the URL says', () => {
    for (const collection of Object.values(collections)) {
      expect(collection.readPreference?.mode).toBe('primary');
    }
  });

  it('runs the reads of a write transaction on the primary (a transaction inherits the URL otherwise)', async () => {
    const find = (session: ClientSession) => collections.messages.find({}, { session });
    const aggregate = (session: ClientSession) => collections.messages.aggregate([], { session });
    // What the driver does without the options: it then refuses these reads inside the transaction.
    expect(await inTransaction(undefined, find)).toBe('secondaryPreferred');
    expect(await inTransaction(TRANSACTION_OPTIONS, find)).toBe('primary');
    expect(await inTransaction(TRANSACTION_OPTIONS, aggregate)).toBe('primary');
  });
});
