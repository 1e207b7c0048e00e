// writeBatch against an in-memory stand-in for the few collection calls it makes (find with
// equality/$in/$or, bulkWrite updateOne/replaceOne with $set/$setOnInsert/$max/$inc and upsert,
// findOneAndUpdate). It checks the adapter's own logic, not the server.
import { ObjectId, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Message, Thread } from '../../src/core/model.js';
import type { Collections } from '../../src/store/mongo/collections.js';
import { writeBatch } from '../../src/store/mongo/write-batch.js';

function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Document[]).some((f) => matches(doc, f));
    if (condition !== null && typeof condition === 'object' && '$in' in condition) {
      return (condition.$in as unknown[]).includes(doc[field]);
    }
    return doc[field] === condition;
  });
}

/** BSON order for the values used here: missing/null below numbers. */
function greater(value: unknown, current: unknown): boolean {
  return current === undefined || current === null || (value as number) > (current as number);
}

function apply(doc: Document, update: Document, inserting: boolean): void {
  // The server refuses an update that names one field under two operators.
  const paths = Object.values(update).flatMap((fields: Document) => Object.keys(fields));
  if (new Set(paths).size !== paths.length) throw new Error(`conflicting update paths in ${JSON.stringify(update)}`);
  for (const [operator, fields] of Object.entries(update) as Array<[string, Document]>) {
    for (const [field, value] of Object.entries(fields)) {
      if (operator === '$set') doc[field] = structuredClone(value);
      else if (operator === '$setOnInsert') {
        if (inserting) doc[field] = structuredClone(value);
      } else if (operator === '$max') {
        if (greater(value, doc[field])) doc[field] = value;
      } else if (operator === '$inc') doc[field] = ((doc[field] as number | undefined) ?? 0) + (value as number);
      else throw new Error(`unexpected operator ${operator}`);
    }
  }
}

class FakeCollection {
  docs: Document[] = [];

  private upsert(filter: Document, update: Document, upsert: boolean): { upsertedId?: unknown; doc?: Document } {
    const found = this.docs.find((doc) => matches(doc, filter));
    if (found) {
      apply(found, update, false);
      return { doc: found };
    }
    if (!upsert) return {};
    const doc: Document = { _id: new ObjectId(), ...structuredClone(filter) };
    apply(doc, update, true);
    this.docs.push(doc);
    return { upsertedId: doc._id, doc };
  }

  find(filter: Document) {
    return { toArray: async () => this.docs.filter((doc) => matches(doc, filter)).map((doc) => structuredClone(doc)) };
  }

  async bulkWrite(ops: Document[]) {
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
    const { doc } = this.upsert(filter, update, options.upsert === true);
    expect(options.returnDocument).toBe('after');
    return doc ? structuredClone(doc) : null;
  }
}

function fakeCollections() {
  const names = ['users', 'threads', 'messages', 'syncState', 'meta', 'counters'] as const;
  const fakes = Object.fromEntries(names.map((name) => [name, new FakeCollection()])) as Record<
    (typeof names)[number],
    FakeCollection
  >;
  return { fakes, collections: fakes as unknown as Collections };
}

const T0 = Date.UTC(2024, 2, 1, 12);

function thread(id: string, fields: Partial<Thread> = {}): Thread {
  return {
    id,
    title: `Thread ${id}`,
    isGroup: false,
    isRequest: false,
    participants: [],
    lastActivityAt: null,
    source: 'api',
    archiveFolder: null,
    ...fields,
  };
}

function message(threadId: string, id: string, fields: Partial<Message> = {}): Message {
  return {
    id,
    threadId,
    senderId: null,
    senderName: 'Alice',
    sentAt: T0,
    kind: 'text',
    text: `hello ${id}`,
    media: [],
    share: null,
    replyTo: null,
    reactions: [],
    unsent: false,
    fromMe: false,
    source: 'api',
    clientContext: null,
    raw: null,
    ...fields,
  };
}

const counter = (fakes: ReturnType<typeof fakeCollections>['fakes'], name: string) =>
  fakes.counters.docs.find((doc) => doc._id === name)?.value as number | undefined;

describe('mongo writeBatch', () => {
  it('inserts new messages with consecutive seq numbers and keeps thread statistics', async () => {
    const { fakes, collections } = fakeCollections();
    const result = await writeBatch(
      collections,
      {
        threads: [thread('t1', { lastActivityAt: T0 - 5 }), thread('t2')],
        messages: [
          message('t1', 'a', { sentAt: T0 + 2 }),
          message('t1', 'b', { sentAt: T0 + 1 }),
          message('t2', 'c', { text: null }),
        ],
      },
      undefined,
    );
    expect(result).toEqual({ messagesAdded: 3, addedMessageIds: ['a', 'b', 'c'] });
    expect(fakes.messages.docs.map((doc) => [doc.id, doc.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(counter(fakes, 'messageSeq')).toBe(3);
    expect(counter(fakes, 'searchRows')).toBe(2);
    expect(counter(fakes, 'searchWords')).toBe(4);
    expect(fakes.threads.docs.find((doc) => doc._id === 't1')).toMatchObject({
      messageCount: 2,
      lastMessageAt: T0 + 2,
      lastActivityAt: T0 - 5,
      activityAt: T0 + 2,
    });
    expect(fakes.threads.docs.find((doc) => doc._id === 't2')).toMatchObject({
      messageCount: 1,
      lastMessageAt: T0,
      activityAt: T0,
    });
  });

  it('writes nothing for an unchanged message, and a repeat inside a batch once', async () => {
    const { fakes, collections } = fakeCollections();
    const batch = { threads: [thread('t1')], messages: [message('t1', 'a'), message('t1', 'a')] };
    expect(await writeBatch(collections, batch, undefined)).toEqual({ messagesAdded: 1, addedMessageIds: ['a'] });
    expect(await writeBatch(collections, batch, undefined)).toEqual({ messagesAdded: 0, addedMessageIds: [] });
    expect(counter(fakes, 'messageSeq')).toBe(1);
    expect(fakes.messages.docs).toHaveLength(1);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 1 });
  });

  it('updates a changed message with a new seq, keeping its time and known ids', async () => {
    const { fakes, collections } = fakeCollections();
    await writeBatch(
      collections,
      {
        threads: [thread('t1')],
        messages: [message('t1', 'a', { senderId: 'u1', raw: '{}', clientContext: 'cc', text: 'one two' })],
      },
      undefined,
    );
    const result = await writeBatch(
      collections,
      { threads: [thread('t1')], messages: [message('t1', 'a', { sentAt: T0 + 999, text: 'one two three four' })] },
      undefined,
    );
    expect(result).toEqual({ messagesAdded: 0, addedMessageIds: [] });
    expect(fakes.messages.docs[0]).toMatchObject({
      seq: 2,
      sentAt: T0,
      senderId: 'u1',
      raw: '{}',
      clientContext: 'cc',
      text: 'one two three four',
      searchText: ' one two three four ',
    });
    expect(counter(fakes, 'messageSeq')).toBe(2);
    expect(counter(fakes, 'searchWords')).toBe(4);
    expect(counter(fakes, 'searchRows')).toBe(1);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 1 });
  });

  it('refuses messages of a thread that is not stored, before writing anything', async () => {
    const { fakes, collections } = fakeCollections();
    const batch = {
      users: [{ id: 'u1', username: 'x', fullName: null, profilePicUrl: null }],
      threads: [thread('t1')],
      messages: [message('t1', 'a'), message('t9', 'b')],
    };
    await expect(writeBatch(collections, batch, undefined)).rejects.toThrow(StoreError);
    await expect(writeBatch(collections, batch, undefined)).rejects.toThrow(
      'cannot store message b: its thread t9 is not stored',
    );
    expect(fakes.users.docs).toEqual([]);
    expect(fakes.threads.docs).toEqual([]);
    expect(fakes.messages.docs).toEqual([]);
  });

  it('never lets unknown (null) fields of users and threads erase known ones', async () => {
    const { fakes, collections } = fakeCollections();
    await writeBatch(
      collections,
      {
        users: [{ id: 'u1', username: 'zoe', fullName: 'Zoë', profilePicUrl: null }],
        threads: [thread('t1', { lastActivityAt: T0 + 10, archiveFolder: 'zoe_1' })],
      },
      undefined,
    );
    await writeBatch(
      collections,
      {
        users: [{ id: 'u1', username: null, fullName: 'Zoë M', profilePicUrl: 'https://p' }],
        threads: [thread('t1', { title: 'New', lastActivityAt: T0, archiveFolder: null })],
      },
      undefined,
    );
    expect(fakes.users.docs[0]).toMatchObject({
      username: 'zoe',
      usernameNorm: 'zoe',
      fullName: 'Zoë M',
      profilePicUrl: 'https://p',
    });
    expect(fakes.threads.docs[0]).toMatchObject({
      title: 'New',
      lastActivityAt: T0 + 10,
      archiveFolder: 'zoe_1',
      activityAt: T0 + 10,
    });
  });

  it('writes sync state and metadata, and does nothing for an empty batch', async () => {
    const { fakes, collections } = fakeCollections();
    expect(await writeBatch(collections, {}, undefined)).toEqual({ messagesAdded: 0, addedMessageIds: [] });
    const state = {
      key: '@inbox',
      olderCursor: null,
      newestItemId: 'i',
      newestItemAt: T0,
      complete: true,
      updatedAt: T0,
    };
    await writeBatch(collections, { syncStates: [state], meta: { a: '1' } }, undefined);
    await writeBatch(collections, { syncStates: [{ ...state, complete: false }], meta: { a: '2' } }, undefined);
    expect(fakes.syncState.docs).toEqual([
      { _id: '@inbox', olderCursor: null, newestItemId: 'i', newestItemAt: T0, complete: false, updatedAt: T0 },
    ]);
    expect(fakes.meta.docs).toMatchObject([{ _id: 'a', value: '2' }]);
  });
});
