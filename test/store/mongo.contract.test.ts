// Runs the store contract against a real MongoDB when IGTG_TEST_MONGODB_URL is set; each store is a
// fresh, uniquely named database that is dropped afterwards. Without the variable it is skipped.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, it } from 'vitest';
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
} else {
  console.warn('MongoDB contract suite skipped: set IGTG_TEST_MONGODB_URL=mongodb://... to run it');
  describe.skip('Store contract: mongodb', () => {
    it('needs IGTG_TEST_MONGODB_URL=mongodb://... (no MongoDB server on this machine)', () => {});
  });
}
