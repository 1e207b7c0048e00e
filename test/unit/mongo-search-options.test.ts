// The finds of MongoDB search, checked without a server: both sorts are blocking (the word index
// gives no time order), which servers before 6.0 refuse over 100 MB unless they may use disk.
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { Collections } from '../../src/store/mongo/collections.js';
import { messageToFields } from '../../src/store/mongo/message-fields.js';
import { searchMessages } from '../../src/store/mongo/search.js';
import { message } from '../store/fixtures.js';

interface Find {
  options: Record<string, unknown> | undefined;
  sort: unknown;
}

function recordingCollections(): { collections: Collections; finds: Find[] } {
  const finds: Find[] = [];
  const doc = { _id: new ObjectId(), seq: 1, ...messageToFields({ ...message('t1', 'm1'), text: 'hello there' }) };
  const messages = {
    find(_filter: unknown, options?: Record<string, unknown>) {
      const find: Find = { options, sort: undefined };
      finds.push(find);
      const cursor = {
        sort(sort: unknown) {
          find.sort = sort;
          return cursor;
        },
        limit: () => cursor,
        toArray: async () => [doc],
      };
      return cursor;
    },
    countDocuments: async () => 1,
  };
  const list = { find: () => ({ toArray: async () => [] }) };
  const collections = { messages, counters: list, threads: list, users: list } as unknown as Collections;
  return { collections, finds };
}

describe('MongoDB search queries', () => {
  for (const sort of ['relevance', 'newest', 'oldest'] as const) {
    it(`lets the ${sort} sort spill to disk`, async () => {
      const { collections, finds } = recordingCollections();
      const hits = await searchMessages(collections, { text: 'hello', sort });
      expect(hits.map((hit) => hit.message.id)).toEqual(['m1']);
      const sorted = finds.filter((find) => find.sort !== undefined);
      expect(sorted).toHaveLength(1);
      expect(sorted[0]!.options?.allowDiskUse).toBe(true);
    });
  }
});
