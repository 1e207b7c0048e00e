// BatchWriter (batch-writer.ts): users and threads wait for the next write, however many there are.
import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../src/archive/batch-writer.js';
import type { User } from '../../src/core/model.js';
import { FakeImportStore } from '../fixtures/archive/fake-store.js';

describe('BatchWriter', () => {
  it('takes more users at once than a function call takes arguments, and writes them with the next batch', async () => {
    const store = new FakeImportStore();
    const writer = new BatchWriter(store, 100, null);
    const users: User[] = Array.from({ length: 300_000 }, (_, i) => ({
      id: `archive-user:${i}`,
      username: null,
      fullName: `Person ${i}`,
      profilePicUrl: null,
    }));
    writer.include({ users: users.slice(0, 1) });
    writer.include({ users });
    await writer.flush({});
    expect(store.users.size).toBe(300_000);
  });
});
