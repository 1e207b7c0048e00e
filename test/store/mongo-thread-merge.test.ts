// The MongoDB adapter's thread merge against an in-memory stand-in for the collection calls that
// writeBatch and mergeThreads make (no server here). The stand-in enforces what the server would:
// the unique (threadId, id) message index, an immutable _id, a session on every call of a
// transaction. It checks the adapter's logic; the contract suite checks it on a real server.
import { ObjectId, type ClientSession, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Collections } from '../../src/store/mongo/collections.js';
import { writeBatch } from '../../src/store/mongo/write-batch.js';
import type { WriteBatch } from '../../src/store/store.js';
import { DAY, MINUTE, T0, message, thread } from './fixtures.js';

function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Document[]).some((f) => matches(doc, f));
    if (condition !== null && typeof condition === 'object' && !(condition instanceof ObjectId)) {
      if ('$in' in condition) return (condition.$in as unknown[]).includes(doc[field]);
      if ('$ne' in condition) return doc[field] !== condition.$ne;
      throw new Error(`unexpected condition ${JSON.stringify(condition)}`);
    }
    if (condition instanceof ObjectId) return condition.equals(doc[field] as ObjectId);
    return doc[field] === condition;
  });
}

function apply(doc: Document, update: Document, inserting: boolean): void {
  const paths = Object.values(update).flatMap((fields: Document) => Object.keys(fields));
  if (new Set(paths).size !== paths.length) throw new Error(`conflicting update paths in ${JSON.stringify(update)}`);
  if (paths.includes('_id')) throw new Error('_id is immutable');
  for (const [operator, fields] of Object.entries(update) as Array<[string, Document]>) {
    for (const [field, value] of Object.entries(fields)) {
      if (operator === '$set') doc[field] = structuredClone(value);
      else if (operator === '$setOnInsert') {
        if (inserting) doc[field] = structuredClone(value);
      } else if (operator === '$max') {
        if (doc[field] === undefined || doc[field] === null || (value as number) > (doc[field] as number))
          doc[field] = value;
      } else if (operator === '$inc') doc[field] = ((doc[field] as number | undefined) ?? 0) + (value as number);
      else throw new Error(`unexpected operator ${operator}`);
    }
  }
}

function compare(a: Document, b: Document, sort: Record<string, 1 | -1>): number {
  for (const [field, direction] of Object.entries(sort)) {
    if (a[field] < b[field]) return -direction;
    if (a[field] > b[field]) return direction;
  }
  return 0;
}

class FakeCollection {
  docs: Document[] = [];

  constructor(
    private readonly tx: { session: ClientSession | undefined },
    private readonly unique: string[] | null = null,
  ) {}

  private check(options: Document | undefined): void {
    if (this.tx.session && options?.session !== this.tx.session) throw new Error('a call left the transaction');
  }

  private checkUnique(): void {
    if (!this.unique) return;
    const keys = this.docs.map((doc) => this.unique!.map((field) => doc[field]).join('\u0000'));
    if (new Set(keys).size !== keys.length) throw new Error('E11000 duplicate key');
  }

  private upsert(filter: Document, update: Document, upsert: boolean): { upsertedId?: unknown; doc?: Document } {
    const found = this.docs.find((doc) => matches(doc, filter));
    if (found) {
      apply(found, update, false);
      this.checkUnique();
      return { doc: found };
    }
    if (!upsert) return {};
    const doc: Document = { _id: new ObjectId(), ...structuredClone(filter) };
    apply(doc, update, true);
    this.docs.push(doc);
    this.checkUnique();
    return { upsertedId: doc._id, doc };
  }

  find(filter: Document, options?: Document) {
    this.check(options);
    const found = () => this.docs.filter((doc) => matches(doc, filter)).map((doc) => structuredClone(doc));
    return {
      toArray: async () => found(),
      close: async () => undefined,
      async *[Symbol.asyncIterator]() {
        yield* found();
      },
    };
  }

  async findOne(filter: Document, options?: Document) {
    this.check(options);
    const found = this.docs.filter((doc) => matches(doc, filter));
    if (options?.sort) found.sort((a, b) => compare(a, b, options.sort as Record<string, 1 | -1>));
    return found[0] ? structuredClone(found[0]) : null;
  }

  async countDocuments(filter: Document, options?: Document) {
    this.check(options);
    return this.docs.filter((doc) => matches(doc, filter)).length;
  }

  async updateOne(filter: Document, update: Document, options?: Document) {
    this.check(options);
    this.upsert(filter, update, options?.upsert === true);
  }

  async updateMany(filter: Document, update: Document, options?: Document) {
    this.check(options);
    const found = this.docs.filter((doc) => matches(doc, filter));
    for (const doc of found) apply(doc, update, false);
    this.checkUnique();
    return { modifiedCount: found.length };
  }

  async deleteOne(filter: Document, options?: Document) {
    this.check(options);
    const index = this.docs.findIndex((doc) => matches(doc, filter));
    if (index >= 0) this.docs.splice(index, 1);
  }

  async deleteMany(filter: Document, options?: Document) {
    this.check(options);
    this.docs = this.docs.filter((doc) => !matches(doc, filter));
  }

  async bulkWrite(ops: Document[], options?: Document) {
    this.check(options);
    if (ops.length === 0) throw new Error('the driver rejects an empty bulk write');
    const upsertedIds: Record<number, unknown> = {};
    ops.forEach((op, index) => {
      if (op.updateOne) {
        const { upsertedId } = this.upsert(op.updateOne.filter, op.updateOne.update, op.updateOne.upsert === true);
        if (upsertedId) upsertedIds[index] = upsertedId;
      } else if (op.replaceOne) {
        const { filter, replacement } = op.replaceOne;
        this.docs = this.docs.filter((doc) => !matches(doc, filter));
        this.docs.push(structuredClone(replacement));
      } else throw new Error('unexpected bulk operation');
    });
    return { upsertedIds, upsertedCount: Object.keys(upsertedIds).length };
  }

  async findOneAndUpdate(filter: Document, update: Document, options: Document) {
    this.check(options);
    const { doc } = this.upsert(filter, update, options.upsert === true);
    return doc ? structuredClone(doc) : null;
  }
}

function fakeStore() {
  const tx: { session: ClientSession | undefined } = { session: undefined };
  const fakes = {
    users: new FakeCollection(tx),
    threads: new FakeCollection(tx),
    messages: new FakeCollection(tx, ['threadId', 'id']),
    syncState: new FakeCollection(tx),
    meta: new FakeCollection(tx),
    counters: new FakeCollection(tx),
    mappings: new FakeCollection(tx),
    topics: new FakeCollection(tx, ['threadId', 'telegramChatId']),
  };
  const collections = fakes as unknown as Collections;
  /** Writes like MongoStore.write inside a transaction: every call must carry the session. */
  const write = (batch: WriteBatch) => {
    const session = {} as ClientSession;
    tx.session = session;
    return writeBatch(collections, batch, session).finally(() => {
      tx.session = undefined;
    });
  };
  return { fakes, write };
}

const counter = (fakes: ReturnType<typeof fakeStore>['fakes'], name: string) =>
  fakes.counters.docs.find((doc) => doc._id === name)?.value as number | undefined;

async function seeded() {
  const store = fakeStore();
  await store.write({
    threads: [thread('archive:z', { archiveFolder: 'z' }), thread('api', { source: 'api' })],
    messages: [
      message('archive:z', 'a:1', { sentAt: T0, text: 'one two' }),
      message('archive:z', 'dup', { sentAt: T0 + MINUTE, text: 'three four five' }),
      message('api', 'dup', { sentAt: T0 + MINUTE, text: 'three' }),
      message('api', 'i:1', { sentAt: T0 + DAY, text: null }),
    ],
    syncStates: [
      { key: 'archive:z', olderCursor: null, newestItemId: null, newestItemAt: null, complete: true, updatedAt: T0 },
    ],
  });
  store.fakes.topics.docs.push(
    { _id: new ObjectId(), threadId: 'archive:z', telegramChatId: 'c1', topicId: 1 },
    { _id: new ObjectId(), threadId: 'archive:z', telegramChatId: 'c2', topicId: 2 },
    { _id: new ObjectId(), threadId: 'api', telegramChatId: 'c2', topicId: 3 },
  );
  store.fakes.mappings.docs.push({
    _id: new ObjectId(),
    telegramChatId: 'c1',
    telegramMessageId: 5,
    threadId: 'archive:z',
  });
  return store;
}

describe('mongo thread merge', () => {
  it('re-keys messages in place (same _id), drops duplicates, fixes counters, moves mappings', async () => {
    const { fakes, write } = await seeded();
    const before = fakes.messages.docs.find((doc) => doc.threadId === 'archive:z' && doc.id === 'a:1')!;
    expect(counter(fakes, 'messageSeq')).toBe(4);
    expect([counter(fakes, 'searchRows'), counter(fakes, 'searchWords')]).toEqual([3, 6]);

    await write({ threadMerges: [{ from: 'archive:z', into: 'api' }] });

    expect(fakes.messages.docs.map((doc) => `${doc.threadId}/${doc.id}`).sort()).toEqual([
      'api/a:1',
      'api/dup',
      'api/i:1',
    ]);
    const moved = fakes.messages.docs.find((doc) => doc.id === 'a:1')!;
    expect((moved._id as ObjectId).equals(before._id as ObjectId)).toBe(true);
    expect(moved.seq).toBe(5);
    expect(fakes.messages.docs.find((doc) => doc.id === 'dup')!.text).toBe('three');
    expect(counter(fakes, 'messageSeq')).toBe(5);
    // The dropped copy had 3 words.
    expect([counter(fakes, 'searchRows'), counter(fakes, 'searchWords')]).toEqual([2, 3]);
    expect(fakes.threads.docs.map((doc) => doc._id)).toEqual(['api']);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 3, lastMessageAt: T0 + DAY, activityAt: T0 + DAY });
    expect(fakes.syncState.docs).toEqual([]);
    expect(fakes.mappings.docs.map((doc) => doc.threadId)).toEqual(['api']);
    expect(fakes.topics.docs.map((doc) => [doc.threadId, doc.telegramChatId, doc.topicId])).toEqual([
      ['api', 'c1', 1],
      ['api', 'c2', 3],
    ]);
  });

  it('is a no-op for a missing or identical thread, and for a second run', async () => {
    const { fakes, write } = await seeded();
    await write({ threadMerges: [{ from: 'archive:z', into: 'api' }] });
    const snapshot = structuredClone(fakes);
    await write({
      threadMerges: [
        { from: 'archive:z', into: 'api' },
        { from: 'api', into: 'api' },
        { from: 'gone', into: 'nowhere' },
      ],
    });
    expect(fakes.messages.docs).toEqual(snapshot.messages.docs);
    expect(fakes.threads.docs).toEqual(snapshot.threads.docs);
    expect(fakes.counters.docs).toEqual(snapshot.counters.docs);
  });

  it('rejects, before writing anything, a merge into a missing thread or messages of the merged thread', async () => {
    const { fakes, write } = await seeded();
    const snapshot = structuredClone(fakes);
    await expect(write({ users: [], threadMerges: [{ from: 'archive:z', into: 'missing' }] })).rejects.toThrow(
      StoreError,
    );
    await expect(
      write({ threadMerges: [{ from: 'archive:z', into: 'api' }], messages: [message('archive:z', 'a:2')] }),
    ).rejects.toThrow(StoreError);
    expect(fakes).toEqual(snapshot);
  });

  it('stores the batch messages into the merged thread after the merge', async () => {
    const { fakes, write } = await seeded();
    const result = await write({
      threads: [thread('api', { source: 'api', archiveFolder: 'z' })],
      threadMerges: [{ from: 'archive:z', into: 'api' }],
      messages: [
        message('api', 'a:1', { sentAt: T0, text: 'one two' }),
        message('api', 'i:2', { sentAt: T0 + 2 * DAY }),
      ],
    });
    expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i:2'] });
    expect(fakes.threads.docs).toHaveLength(1);
    expect(fakes.threads.docs[0]).toMatchObject({ archiveFolder: 'z', messageCount: 4, lastMessageAt: T0 + 2 * DAY });
  });
});
