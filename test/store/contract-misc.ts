// Contract: bridge mappings, topics, metadata, sync state and the audit log.
import { describe, expect, it } from 'vitest';
import type { BridgeMapping } from '../../src/store/store.js';
import { type OpenStore, T0, withStore } from './fixtures.js';

function mapping(messageId: number, fields: Partial<BridgeMapping> = {}): BridgeMapping {
  return {
    telegramChatId: '-100123',
    telegramMessageId: messageId,
    threadId: 't1',
    itemId: `i${messageId}`,
    direction: 'to_telegram',
    createdAt: T0 + messageId,
    ...fields,
  };
}

export function miscContract(open: OpenStore): void {
  describe('bridge mappings and topics', () => {
    it(
      'finds mappings from either side',
      withStore(open, async (store) => {
        await store.putMapping(mapping(1));
        await store.putMapping(mapping(2, { itemId: 'i1', direction: 'to_instagram' }));
        await store.putMapping(mapping(3, { itemId: null }));
        await store.putMapping(mapping(4, { telegramChatId: '-100999', itemId: 'i1' }));
        expect(await store.findMappingByTelegram('-100123', 1)).toEqual(mapping(1));
        expect(await store.findMappingByTelegram('-100123', 99)).toBeNull();
        expect(await store.findMappingByTelegram('-100999', 1)).toBeNull();
        expect(
          (await store.findMappingsByItem('t1', 'i1')).map((m) => [m.telegramChatId, m.telegramMessageId]),
        ).toEqual([
          ['-100123', 1],
          ['-100123', 2],
          ['-100999', 4],
        ]);
        expect(await store.findMappingsByItem('t2', 'i1')).toEqual([]);
        await store.putMapping(mapping(1, { itemId: 'i7' }));
        expect((await store.findMappingByTelegram('-100123', 1))?.itemId).toBe('i7');
        await store.clearMappings();
        expect(await store.findMappingByTelegram('-100123', 1)).toBeNull();
        expect(await store.findMappingsByItem('t1', 'i1')).toEqual([]);
        await store.putMapping(mapping(5));
        expect(await store.findMappingByTelegram('-100123', 5)).toEqual(mapping(5));
      }),
    );

    it(
      'maps topics to threads both ways',
      withStore(open, async (store) => {
        await store.putTopic({ threadId: 't1', telegramChatId: 'c', topicId: 10 });
        await store.putTopic({ threadId: 't2', telegramChatId: 'c', topicId: 20 });
        expect(await store.getTopicByThread('t1', 'c')).toEqual({ threadId: 't1', telegramChatId: 'c', topicId: 10 });
        expect(await store.getTopicById('c', 20)).toEqual({ threadId: 't2', telegramChatId: 'c', topicId: 20 });
        expect(await store.getTopicByThread('t1', 'other')).toBeNull();
        expect(await store.getTopicById('c', 30)).toBeNull();
        await store.putTopic({ threadId: 't1', telegramChatId: 'c', topicId: 11 });
        expect((await store.getTopicByThread('t1', 'c'))?.topicId).toBe(11);
        expect(await store.getTopicById('c', 10)).toBeNull();
      }),
    );
  });

  describe('metadata, sync state, audit', () => {
    it(
      'gets, sets, overwrites and deletes metadata',
      withStore(open, async (store) => {
        expect(await store.getMeta('k')).toBeNull();
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        expect(await store.getMeta('k')).toBe('v2');
        await store.write({ meta: { k: 'v3', other: 'x' } });
        expect(await store.getMeta('k')).toBe('v3');
        expect(await store.getMeta('other')).toBe('x');
        await store.setMeta('k', null);
        expect(await store.getMeta('k')).toBeNull();
      }),
    );

    it(
      'keeps sync state written with a batch',
      withStore(open, async (store) => {
        const state = {
          key: '@inbox',
          olderCursor: 'cursor-1',
          newestItemId: 'i9',
          newestItemAt: T0,
          complete: false,
          updatedAt: T0,
        };
        await store.write({ syncStates: [state] });
        expect(await store.getSyncState('@inbox')).toEqual(state);
        const done = { ...state, olderCursor: null, complete: true, updatedAt: T0 + 1 };
        await store.write({ syncStates: [done] });
        expect(await store.getSyncState('@inbox')).toEqual(done);
        expect(await store.getSyncState('@pending')).toBeNull();
      }),
    );

    it(
      'lists the audit log newest first',
      withStore(open, async (store) => {
        await store.audit({ at: T0, actor: 'cli', action: 'login', detail: null });
        await store.audit({ at: T0 + 2, actor: 'bridge', action: 'send', detail: 'thread t1' });
        await store.audit({ at: T0 + 1, actor: 'cli', action: 'sync', detail: '3 new' });
        expect(await store.listAudit(2)).toEqual([
          { at: T0 + 2, actor: 'bridge', action: 'send', detail: 'thread t1' },
          { at: T0 + 1, actor: 'cli', action: 'sync', detail: '3 new' },
        ]);
        expect(await store.listAudit(10)).toHaveLength(3);
      }),
    );
  });
}
