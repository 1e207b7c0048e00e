// writeBatch against the in-memory stand-in of test/store/fake-mongo.ts for the few collection
// calls it makes. It checks the adapter's own logic, not the server.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Message } from '../../src/core/model.js';
import { writeBatch } from '../../src/store/mongo/write-batch.js';
import { counter, fakeMongo } from '../store/fake-mongo.js';
import { DAY, T0, apiThread as thread, message as storeMessage } from '../store/fixtures.js';

const message = (threadId: string, id: string, fields: Partial<Message> = {}) =>
  storeMessage(threadId, id, { text: `hello ${id}`, source: 'api', ...fields });

describe('mongo writeBatch', () => {
  it('orders threads of pre-1970 activity as SQLite does (activity never below 0)', async () => {
    const { fakes, collections } = fakeMongo();
    await writeBatch(
      collections,
      {
        threads: [thread('old', { lastActivityAt: -5 }), thread('none')],
        messages: [message('old', 'm', { sentAt: -DAY })],
      },
      undefined,
    );
    const activity = Object.fromEntries(fakes.threads.docs.map((doc) => [doc._id, doc.activityAt]));
    expect(activity).toEqual({ old: 0, none: 0 });
    expect(fakes.threads.docs.find((doc) => doc._id === 'old')).toMatchObject({
      lastActivityAt: -5,
      lastMessageAt: -DAY,
    });
  });

  it('inserts new messages with consecutive seq numbers and keeps thread statistics', async () => {
    const { fakes, collections } = fakeMongo();
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

  it("heals a thread's message count short from a write cut off before its count (no transactions)", async () => {
    const { fakes, collections } = fakeMongo();
    await writeBatch(collections, { threads: [thread('t1')], messages: [message('t1', 'a')] }, undefined);
    // As a crash between the message write and the thread update on a standalone server leaves it.
    const cutOff = structuredClone(fakes.messages.docs[0]!);
    delete cutOff._id;
    fakes.messages.docs.push({ ...cutOff, id: 'lost-count' });
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 1 });

    await writeBatch(collections, { messages: [message('t1', 'b', { sentAt: T0 + 5 })] }, undefined);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 3, lastMessageAt: T0 + 5 });
  });

  it('writes nothing for an unchanged message, and a repeat inside a batch once', async () => {
    const { fakes, collections } = fakeMongo();
    const batch = { threads: [thread('t1')], messages: [message('t1', 'a'), message('t1', 'a')] };
    expect(await writeBatch(collections, batch, undefined)).toEqual({ messagesAdded: 1, addedMessageIds: ['a'] });
    expect(await writeBatch(collections, batch, undefined)).toEqual({ messagesAdded: 0, addedMessageIds: [] });
    expect(counter(fakes, 'messageSeq')).toBe(1);
    expect(fakes.messages.docs).toHaveLength(1);
    expect(fakes.threads.docs[0]).toMatchObject({ messageCount: 1 });
  });

  it('updates a changed message with a new seq, keeping its time and known ids', async () => {
    const { fakes, collections } = fakeMongo();
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
    const { fakes, collections } = fakeMongo();
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
    const { fakes, collections } = fakeMongo();
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
    const { fakes, collections } = fakeMongo();
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
