import { describe, expect, it } from 'vitest';
import { PendingReplies } from '../../src/core/pending-replies.js';

describe('PendingReplies', () => {
  it('settles each request by its id, once', async () => {
    const books = new PendingReplies<string>();
    const a = books.open();
    const b = books.open();
    expect(a.id).not.toBe(b.id);
    expect(books.size).toBe(2);
    books.take(b.id)!.resolve('b');
    expect(books.take(b.id)).toBeUndefined();
    books.take(a.id)!.reject(new Error('a failed'));
    await expect(b.reply).resolves.toBe('b');
    await expect(a.reply).rejects.toThrow('a failed');
    expect(books.size).toBe(0);
  });

  it('fails what waits and remembers the first failure', async () => {
    const books = new PendingReplies<number>();
    const { reply } = books.open();
    expect(books.failed).toBeNull();
    books.fail(new Error('thread stopped'));
    books.fail(new Error('later'));
    await expect(reply).rejects.toThrow('thread stopped');
    expect(books.failed?.message).toBe('thread stopped');
    expect(books.size).toBe(0);
  });
});
