// The filter the MongoDB store builds for a page of a thread, checked without a server (the contract
// suite runs the same pages against a real one when IGTG_TEST_MONGODB_URL is set).
import { describe, expect, it } from 'vitest';
import { listFilter } from '../../src/store/mongo/mongo-store.js';

describe('listMessages filter', () => {
  it('filters like SQLite: the thread, before a time, since a time', () => {
    expect(listFilter('t1', {})).toEqual({ threadId: 't1' });
    expect(listFilter('t1', { before: 20, since: 10 })).toEqual({ threadId: 't1', sentAt: { $lt: 20, $gte: 10 } });
  });

  it('pages back from a message by (sentAt, id): earlier times, or the same time and a smaller id', () => {
    expect(listFilter('t1', { beforeMessage: { sentAt: 15, id: 'm3' } })).toEqual({
      threadId: 't1',
      sentAt: { $lte: 15 },
      $or: [{ sentAt: { $lt: 15 } }, { id: { $lt: 'm3' } }],
    });
    expect(listFilter('t1', { since: 10, beforeMessage: { sentAt: 15, id: 'm3' } }).sentAt).toEqual({
      $gte: 10,
      $lte: 15,
    });
  });
});
