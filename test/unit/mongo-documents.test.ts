// Model <-> document mapping of the MongoDB adapter.
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Message, Thread, User } from '../../src/core/model.js';
import {
  docToMessage,
  docToOutboxEntry,
  docToSyncState,
  docToThread,
  docToThreadSummary,
  docToUser,
  newOutboxDoc,
  syncStateToDoc,
  threadToFields,
  userToDoc,
  type MessageDoc,
} from '../../src/store/mongo/documents.js';
import { changedFieldsUpdate, contentChanged, messageToFields } from '../../src/store/mongo/message-fields.js';
import { T0, fullMessage } from '../store/fixtures.js';

const message = (fields: Partial<Message> = {}): Message =>
  fullMessage('t1', 'i1', {
    text: 'Look at THIS café',
    share: { url: 'https://example.com', text: 'a shared Post', owner: 'someone' },
    ...fields,
  });

/** What the server would hand back: the stored fields plus the store-given ones. */
function stored(m: Message, seq = 1): MessageDoc {
  return { ...messageToFields(m), seq };
}

describe('mongo documents', () => {
  it('round-trips a message and derives its search fields', () => {
    const m = message();
    const fields = messageToFields(m);
    expect(docToMessage(stored(m))).toEqual(m);
    expect(fields.senderNorm).toBe('zoe muller');
    expect(fields.searchText).toBe(' look at this cafe ');
    expect(fields.shareSearchText).toBe(' a shared post ');
    expect(fields.tokens).toEqual(['look', 'at', 'this', 'cafe', 'a', 'shared', 'post']);
    expect(fields.wordCount).toBe(7);
    expect(fields.searchable).toBe(true);
    expect(messageToFields(message({ text: null, share: null }))).toMatchObject({
      searchable: false,
      wordCount: 0,
      searchText: '',
    });
    expect(messageToFields(message({ text: '', share: null })).searchable).toBe(true);
  });

  it('stores lone surrogates as BSON hands them back, so an identical re-write is no change', () => {
    const cut = 'cut off emoji \uD83D';
    const m = message({
      text: cut,
      senderName: `Zo\uDC00`,
      share: { url: 'https://example.com', text: cut, owner: null },
      reactions: [{ emoji: '\uD83D', actor: cut, actorId: 'u1', at: null }],
    });
    const back = BSON.deserialize(BSON.serialize(stored(m))) as MessageDoc;
    expect(back.text).toBe('cut off emoji \uFFFD');
    expect(contentChanged(back, messageToFields(m))).toBe(false);
    expect(messageToFields(message()).text).toBe('Look at THIS café');
  });

  it('stores plain JSON copies of nested parts, not the caller objects', () => {
    const m = message();
    const fields = messageToFields(m);
    expect(fields.media).toEqual(m.media);
    expect(fields.media[0]).not.toBe(m.media[0]);
    expect(fields.share).not.toBe(m.share);
  });

  it('rejects messages the store cannot key or order, as SQLite does', () => {
    for (const bad of [
      { sentAt: Number.NaN },
      { id: '' },
      { threadId: '' },
      { kind: '' as Message['kind'] },
      { media: null as unknown as [] },
    ]) {
      expect(() => messageToFields(message(bad))).toThrow(StoreError);
    }
    expect(messageToFields(message({ sentAt: 1.6 })).sentAt).toBe(2);
  });

  it('sees a change in content but not in what the newer copy lacks', () => {
    const before = stored(message());
    expect(contentChanged(before, messageToFields(message()))).toBe(false);
    expect(contentChanged(before, messageToFields(message({ senderId: null, raw: null, clientContext: null })))).toBe(
      false,
    );
    expect(contentChanged(before, messageToFields(message({ text: 'edited' })))).toBe(true);
    expect(contentChanged(before, messageToFields(message({ reactions: [] })))).toBe(true);
    expect(contentChanged(before, messageToFields(message({ unsent: true })))).toBe(true);
    expect(contentChanged(before, messageToFields(message({ senderId: 'u2' })))).toBe(true);
    expect(contentChanged(before, messageToFields(message({ share: { ...message().share!, owner: 'x' } })))).toBe(true);
  });

  it('updates a changed message without moving its time or erasing known ids', () => {
    const update = changedFieldsUpdate(
      messageToFields(message({ text: 'edited', senderId: null, raw: null, clientContext: null, sentAt: 5 })),
      42,
    );
    expect(update).toMatchObject({ text: 'edited', seq: 42, searchText: ' edited ' });
    for (const kept of ['sentAt', 'senderId', 'raw', 'clientContext', 'threadId', 'id'])
      expect(update).not.toHaveProperty(kept);
  });

  it('round-trips threads, users and sync state', () => {
    const thread: Thread = {
      id: 't1',
      title: 'Zoë & Max 🌍',
      isGroup: true,
      isRequest: false,
      participants: [{ userId: 'u1', name: 'Zoë', username: 'zoe' }],
      lastActivityAt: T0,
      source: 'api',
      archiveFolder: null,
    };
    const doc = { ...threadToFields(thread), messageCount: 3, lastMessageAt: T0 + 1, activityAt: T0 + 1 };
    expect(doc.titleNorm).toBe('zoe & max 🌍');
    expect(docToThread(doc)).toEqual(thread);
    expect(docToThreadSummary(doc)).toEqual({ ...thread, messageCount: 3, lastMessageAt: T0 + 1 });

    const user: User = { id: 'u1', username: 'ZoeM', fullName: null, profilePicUrl: null };
    expect(userToDoc(user)).toMatchObject({ _id: 'u1', usernameNorm: 'zoem', fullNameNorm: null });
    expect(docToUser(userToDoc(user))).toEqual(user);

    const state = {
      key: '@inbox',
      olderCursor: 'c',
      newestItemId: null,
      newestItemAt: null,
      complete: true,
      updatedAt: T0,
    };
    expect(docToSyncState(syncStateToDoc(state))).toEqual(state);
  });

  it('creates outbox entries with a JSON payload that reads back equal', () => {
    const doc = newOutboxDoc(
      7,
      { direction: 'to_telegram', dedupeKey: 'k', lane: 'A', payload: { a: [1, 'two', null], b: undefined } },
      T0,
    );
    expect(typeof doc.payload).toBe('string');
    expect(doc).toMatchObject({
      _id: 7,
      attempts: 0,
      nextAttemptAt: T0,
      createdAt: T0,
      done: false,
      deadLettered: false,
      leaseUntil: null,
      clientContext: null,
    });
    expect(docToOutboxEntry(doc)).toMatchObject({ id: 7, payload: { a: [1, 'two', null] }, lastError: null });
  });
});
