// BatchWriter (batch-writer.ts): users and threads wait for the next write, however many there are;
// inside one bulk transaction writes stay in flight while the next batches are made.
import { describe, expect, it } from 'vitest';
import { BatchWriter, type BatchStore } from '../../src/archive/batch-writer.js';
import { MessageIdSequence } from '../../src/archive/message-id.js';
import type { ParsedThreadFile } from '../../src/archive/thread-file.js';
import type { Message, User } from '../../src/core/model.js';
import type { WriteResult } from '../../src/store/store.js';
import { FakeImportStore } from '../fixtures/archive/fake-store.js';

/** A store whose writes settle only when the test says, with a packer like SQLite's. */
class SlowStore implements BatchStore {
  readonly sent: Array<{ count: number; settle: (error?: Error) => void }> = [];

  messagePacker() {
    const messages: Message[] = [];
    return {
      get count() {
        return messages.length;
      },
      add: (message: Message) => messages.push(message),
    };
  }

  write(batch: { packed?: { count: number } }): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      const count = batch.packed?.count ?? 0;
      this.sent.push({
        count,
        settle: (error) => (error ? reject(error) : resolve({ messagesAdded: count, addedMessageIds: [] })),
      });
    });
  }
}

function page(count: number): ParsedThreadFile {
  const messages = Array.from({ length: count }, (_, i) => ({
    sender_name: 'Zoë',
    timestamp_ms: 1_700_000_000_000 + i,
    content: `message ${i}`,
  }));
  return { title: null, participants: ['Zoë'], isGroupHint: false, messages, raws: null, sentAt: null, repaired: true };
}

const context = () => ({
  threadId: 'archive:zoe_1',
  owner: null,
  ids: new MessageIdSequence('zoe_1'),
  media: () => null,
});
/** Lets the writer go as far as it can without a write landing (it yields a turn per write). */
const tick = async () => {
  for (let i = 0; i < 30; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

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

describe('BatchWriter writes in flight', () => {
  it('keeps many writes of a bulk transaction in flight, and waits for all of them at the end', async () => {
    const store = new SlowStore();
    const writer = new BatchWriter(store, 10, null, true);
    const adding = writer.add(page(100), context(), null, false);
    await tick();
    // Ten batches of ten sent, none settled yet: the importer did not wait for the writer.
    expect(store.sent.map((write) => write.count)).toEqual(Array(10).fill(10));
    await adding;
    const last = writer.flush({});
    await tick();
    for (const write of store.sent) write.settle();
    await last;
    expect(writer.added).toBe(100);
  });

  it('sends one write at a time outside a transaction, so a failure stops the next', async () => {
    const store = new SlowStore();
    const writer = new BatchWriter(store, 10, null, false);
    const adding = writer.add(page(30), context(), null, false);
    await tick();
    expect(store.sent).toHaveLength(1);
    store.sent[0]!.settle();
    await tick();
    expect(store.sent).toHaveLength(2);
    store.sent[1]!.settle(new Error('disk full'));
    await expect(adding).rejects.toThrow(/failed after 10 messages were written \(disk full\)/);
    expect(store.sent).toHaveLength(2);
  });

  it('lets the event loop turn between writes that land at once (signals, timers)', async () => {
    let turned = false;
    const seen: boolean[] = [];
    const store = new SlowStore();
    store.write = (batch) => {
      seen.push(turned);
      return Promise.resolve({ messagesAdded: batch.packed?.count ?? 0, addedMessageIds: [] });
    };
    setImmediate(() => (turned = true));
    const writer = new BatchWriter(store, 10, null, true);
    await writer.add(page(100), context(), null, false);
    expect(seen).toHaveLength(10);
    expect(seen.slice(1).every(Boolean)).toBe(true);
  });

  it('tells the first failure of a bulk transaction, not the ones it caused', async () => {
    const store = new SlowStore();
    const writer = new BatchWriter(store, 10, null, true);
    const adding = writer.add(page(30), context(), null, false);
    await tick();
    expect(store.sent).toHaveLength(3);
    store.sent[0]!.settle(new Error('disk full'));
    store.sent[1]!.settle(new Error('the import was undone by an earlier failed write'));
    store.sent[2]!.settle(new Error('the import was undone by an earlier failed write'));
    await adding;
    await expect(writer.flush({})).rejects.toThrow('disk full');
  });
});
