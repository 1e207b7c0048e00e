// Runs the store contract against a real MongoDB when IGTG_TEST_MONGODB_URL is set; each store is a
// fresh, uniquely named database that is dropped afterwards. Without the variable it is skipped.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreMissingError } from '../../src/core/errors.js';
import { openMongoStoreAt } from '../../src/store/mongo/mongo-store.js';
import { storeContract } from './contract.js';

const url = process.env.IGTG_TEST_MONGODB_URL?.trim();

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new MongoClient(serverUrl, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

if (url) {
  storeContract('mongodb', async () => {
    const name = `igtg_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const store = await openMongoStoreAt(url, name);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropDatabase(url, name);
      },
    };
  });
  describe('MongoDB store opened by a command that only reads', () => {
    it('refuses a database igtg never set up (a mistyped name), and leaves it uncreated', async () => {
      const name = `igtg_test_missing_${randomBytes(4).toString('hex')}`;
      await expect(openMongoStoreAt(url, name, { mustExist: true })).rejects.toBeInstanceOf(StoreMissingError);
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
      try {
        expect(await client.db(name).listCollections().toArray()).toEqual([]);
      } finally {
        await client.close();
      }
    });
  });
} else {
  console.warn('MongoDB contract suite skipped: set IGTG_TEST_MONGODB_URL=mongodb://... to run it');
  describe.skip('Store contract: mongodb', () => {
    it('needs IGTG_TEST_MONGODB_URL=mongodb://... (no MongoDB server on this machine)', () => {});
  });
}
