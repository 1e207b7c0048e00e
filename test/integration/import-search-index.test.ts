// An import written in many batches leaves search indexing to its last one (write-batch.ts): the
// real importer into a real SQLite store must then find every message, exactly as an import written
// in one batch does.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import-archive.js';
import type { Message } from '../../src/core/model.js';
import { searchTokens } from '../../src/store/search-tokens.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { currentLayoutFiles, writeTree } from '../fixtures/archive/build-archive.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { collect } from '../store/fixtures.js';

const { fresh } = tempFolder('igtg-import-index-');
const archive = writeTree(fresh('archive'), currentLayoutFiles());
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

async function imported(batchSize: number): Promise<Store> {
  const store = await openSqliteStore(join(fresh(`store-${batchSize}`), 'igtg.db'));
  stores.push(store);
  await importArchive({ path: archive, store, mediaDir: null, timeZone: 'UTC', batchSize });
  return store;
}

const hitIds = async (store: Store, text: string, sort: 'newest' | 'relevance') =>
  (await store.search({ text, sort, limit: 1000 })).map((hit) => `${hit.threadId}/${hit.message.id}`);

describe('an import in many batches', () => {
  it('makes every message searchable, as one batch does', async () => {
    const inBatches = await imported(4);
    const inOne = await imported(10_000);
    const messages: Message[] = await collect(inBatches.streamMessages());
    expect(messages.length).toBe(21);

    const words = new Set<string>();
    for (const message of messages) {
      const own = searchTokens(`${message.text ?? ''} ${message.share?.text ?? ''}`);
      if (own.length === 0) continue;
      // Each message is found by each of its words.
      for (const word of own) {
        words.add(word);
        expect(await hitIds(inBatches, `"${word}"`, 'newest'), word).toContain(`${message.threadId}/${message.id}`);
      }
    }
    expect(words.size).toBeGreaterThan(20);
    for (const word of words) {
      expect(await hitIds(inBatches, `"${word}"`, 'newest'), word).toEqual(await hitIds(inOne, `"${word}"`, 'newest'));
      expect(await hitIds(inBatches, `"${word}"`, 'relevance'), word).toEqual(
        await hitIds(inOne, `"${word}"`, 'relevance'),
      );
    }
  });
});
