// Contract: batches are idempotent upserts written all or nothing.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/model.js';
import { type OpenStore, T0, fullMessage, message, series, thread, user, withStore } from './fixtures.js';

export function writeContract(open: OpenStore): void {
  describe('write', () => {
    it(
      'stores every field and reads it back unchanged',
      withStore(open, async (store) => {
        const t = thread('t1', {
          title: 'Zoë & Max 🌍',
          isGroup: true,
          isRequest: true,
          participants: [
            { userId: 'u1', name: 'Zoë Müller', username: 'zoemuller' },
            { userId: null, name: 'Max', username: null },
          ],
          lastActivityAt: T0 + 5,
          source: 'api',
          archiveFolder: 'zoemax_123',
        });
        const m = fullMessage('t1', 'i1');
        const u = user('u1', { username: 'zoemuller', fullName: 'Zoë Müller', profilePicUrl: 'https://x/p.jpg' });
        const result = await store.write({ users: [u], threads: [t], messages: [m] });
        expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i1'] });
        expect(await store.getThread('t1')).toEqual(t);
        expect(await store.getMessage('t1', 'i1')).toEqual(m);
        expect(await store.listUsers()).toEqual([u]);
        expect(await store.counts()).toEqual({ threads: 1, messages: 1, users: 1 });
        expect(await store.getThread('nope')).toBeNull();
        expect(await store.getMessage('t1', 'nope')).toBeNull();
      }),
    );

    it(
      'is idempotent: re-writing the same batch adds nothing',
      withStore(open, async (store) => {
        const batch = {
          users: [user('u1')],
          threads: [thread('t1'), thread('t2')],
          messages: [...series('t1', 5), ...series('t2', 3)],
        };
        const first = await store.write(batch);
        expect(first.messagesAdded).toBe(8);
        expect(first.addedMessageIds).toHaveLength(8);
        const before = await store.counts();
        const second = await store.write(batch);
        expect(second).toEqual({ messagesAdded: 0, addedMessageIds: [] });
        expect(await store.counts()).toEqual(before);
        expect(before).toEqual({ threads: 2, messages: 8, users: 1 });
        const [summary] = (await store.listThreads()).filter((s) => s.id === 't1');
        expect(summary?.messageCount).toBe(5);
      }),
    );

    it(
      're-writing a known message updates its mutable fields without counting it as added',
      withStore(open, async (store) => {
        await store.write({ threads: [thread('t1')], messages: [message('t1', 'i1', { text: 'hello there' })] });
        const changed = message('t1', 'i1', {
          text: 'hello edited',
          reactions: [{ emoji: '😂', actor: 'Bob', actorId: 'u2', at: T0 + 1 }],
          unsent: true,
        });
        const result = await store.write({ threads: [thread('t1')], messages: [changed, message('t1', 'i2')] });
        expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i2'] });
        expect(await store.getMessage('t1', 'i1')).toEqual(changed);
        expect((await store.counts()).messages).toBe(2);
        expect((await store.search({ text: 'edited' })).map((h) => h.message.id)).toEqual(['i1']);
        expect(await store.search({ text: 'there' })).toEqual([]);
      }),
    );

    it(
      'counts a message repeated inside one batch once',
      withStore(open, async (store) => {
        const result = await store.write({
          threads: [thread('t1')],
          messages: [message('t1', 'i1'), message('t1', 'i1')],
        });
        expect(result).toEqual({ messagesAdded: 1, addedMessageIds: ['i1'] });
        expect((await store.counts()).messages).toBe(1);
      }),
    );

    it(
      'keys messages on (thread, id): the same id in two threads is two messages',
      withStore(open, async (store) => {
        const result = await store.write({
          threads: [thread('t1'), thread('t2')],
          messages: [message('t1', 'x'), message('t2', 'x')],
        });
        expect(result.messagesAdded).toBe(2);
        expect((await store.getMessage('t2', 'x'))?.threadId).toBe('t2');
      }),
    );

    it(
      'upserts threads and users on their ids',
      withStore(open, async (store) => {
        await store.write({
          users: [user('u1', { username: 'old' })],
          threads: [thread('t1', { title: 'Old title' })],
        });
        await store.write({
          users: [user('u1', { username: 'new' })],
          threads: [thread('t1', { title: 'New title', isRequest: false })],
        });
        expect((await store.getThread('t1'))?.title).toBe('New title');
        expect((await store.listUsers()).map((u) => u.username)).toEqual(['new']);
        expect(await store.counts()).toEqual({ threads: 1, messages: 0, users: 1 });
      }),
    );

    it(
      'writes nothing of a batch that fails midway',
      withStore(open, async (store) => {
        await store.write({ threads: [thread('kept')], messages: [message('kept', 'k1')] });
        const messages: Message[] = series('t1', 100);
        const poisoned = { ...messages[60]! };
        Object.defineProperty(poisoned, 'text', {
          enumerable: true,
          get() {
            throw new Error('injected failure');
          },
        });
        messages[60] = poisoned;
        await expect(
          store.write({
            users: [user('u9')],
            threads: [thread('t1')],
            messages,
            syncStates: [
              { key: 't1', olderCursor: 'c', newestItemId: 'm099', newestItemAt: T0, complete: false, updatedAt: T0 },
            ],
            meta: { 'test.key': 'value' },
          }),
        ).rejects.toThrow();
        expect(await store.counts()).toEqual({ threads: 1, messages: 1, users: 0 });
        expect(await store.getThread('t1')).toBeNull();
        expect(await store.getMessage('t1', 'm000')).toBeNull();
        expect(await store.getSyncState('t1')).toBeNull();
        expect(await store.getMeta('test.key')).toBeNull();
        expect(await store.getMessage('kept', 'k1')).not.toBeNull();
      }),
    );

    it(
      'rejects a message without a usable time and writes nothing of its batch',
      withStore(open, async (store) => {
        const bad = message('t1', 'bad', { sentAt: Number.NaN });
        await expect(store.write({ threads: [thread('t1')], messages: [message('t1', 'ok'), bad] })).rejects.toThrow();
        expect(await store.counts()).toEqual({ threads: 0, messages: 0, users: 0 });
      }),
    );
  });
}
