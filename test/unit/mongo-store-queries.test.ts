// Queries the MongoDB store builds for its reads, checked without a server.
import { describe, expect, it } from 'vitest';
import { THREAD_TOTALS, storeCounts, streamFind } from '../../src/store/mongo/mongo-store.js';

describe('streamMessages query', () => {
  it('orders by thread, time and id, and lets a large sort spill to disk (servers before 6.0)', () => {
    const { filter, options } = streamFind({});
    expect(filter).toEqual({});
    expect(options.sort).toEqual({ threadId: 1, sentAt: 1, id: 1 });
    expect(Object.keys(options.sort as object)).toEqual(['threadId', 'sentAt', 'id']);
    expect(options.allowDiskUse).toBe(true);
    expect(options.batchSize).toBeGreaterThan(0);
  });

  it('filters like SQLite: threads, [since, until), stored at or after a seq', () => {
    expect(streamFind({ threadIds: ['a', 'b'], since: 10, until: 20, storedAfterSeq: 7 }).filter).toEqual({
      threadId: { $in: ['a', 'b'] },
      sentAt: { $gte: 10, $lt: 20 },
      seq: { $gte: 7 },
    });
    expect(streamFind({ until: 0 }).filter).toEqual({ sentAt: { $lt: 0 } });
    expect(streamFind({ threadIds: [] }).filter).toEqual({ threadId: { $in: [] } });
  });
});

describe('counts', () => {
  it('sums the threads message counters as SQLite does, not the collection metadata', () => {
    expect(THREAD_TOTALS).toEqual([
      { $group: { _id: null, threads: { $sum: 1 }, messages: { $sum: '$messageCount' } } },
    ]);
    expect(storeCounts({ threads: 2, messages: 6 }, 1)).toEqual({ threads: 2, messages: 6, users: 1 });
  });

  it('is zero when the aggregation returns no document (no thread stored)', () => {
    expect(storeCounts(undefined, 0)).toEqual({ threads: 0, messages: 0, users: 0 });
  });
});
