// Contract: threads, pages of messages and the message stream.
import { describe, expect, it } from 'vitest';
import { type OpenStore, DAY, MINUTE, T0, collect, message, series, thread, withStore } from './fixtures.js';

export function readContract(open: OpenStore): void {
  describe('threads', () => {
    it(
      'lists threads by newest activity (last message or known activity) with counts',
      withStore(open, async (store) => {
        await store.write({
          threads: [
            thread('a'),
            thread('b'),
            thread('c', { lastActivityAt: T0 + 4 * DAY }),
            thread('d', { lastActivityAt: T0 - DAY }),
          ],
          messages: [
            message('a', 'a1', { sentAt: T0 + DAY }),
            message('a', 'a2', { sentAt: T0 + 3 * DAY }),
            message('b', 'b1', { sentAt: T0 + 5 * DAY }),
            message('d', 'd1', { sentAt: T0 + 2 * DAY }),
          ],
        });
        const summaries = await store.listThreads();
        expect(summaries.map((s) => s.id)).toEqual(['b', 'c', 'a', 'd']);
        expect(summaries.map((s) => s.messageCount)).toEqual([1, 0, 2, 1]);
        expect(summaries.map((s) => s.lastMessageAt)).toEqual([T0 + 5 * DAY, null, T0 + 3 * DAY, T0 + 2 * DAY]);
        expect(summaries[1]).toMatchObject({ title: 'Thread c', lastActivityAt: T0 + 4 * DAY });
        expect((await store.listThreads({ limit: 2 })).map((s) => s.id)).toEqual(['b', 'c']);
      }),
    );

    it(
      'finds threads by exact id first, else by title ignoring case and diacritics',
      withStore(open, async (store) => {
        await store.write({
          threads: [
            thread('111', { title: 'Zoë Müller' }),
            thread('222', { title: 'Weekend with ZOE and Max', lastActivityAt: T0 }),
            thread('zoe', { title: 'Someone else' }),
            thread('333', { title: 'Chess club' }),
          ],
        });
        expect((await store.findThreads('zoe')).map((t) => t.id)).toEqual(['zoe']);
        expect((await store.findThreads('Zoë')).map((t) => t.id).sort()).toEqual(['111', '222']);
        expect((await store.findThreads('müller')).map((t) => t.id)).toEqual(['111']);
        expect((await store.findThreads('333')).map((t) => t.title)).toEqual(['Chess club']);
        expect(await store.findThreads('nothing like this')).toEqual([]);
      }),
    );
  });

  describe('listMessages', () => {
    it(
      'returns the newest messages of the range, oldest first',
      withStore(open, async (store) => {
        await store.write({
          threads: [thread('t1'), thread('t2')],
          messages: [...series('t1', 10).reverse(), ...series('t2', 3)],
        });
        const ids = async (range?: Parameters<typeof store.listMessages>[1]) =>
          (await store.listMessages('t1', range)).map((m) => m.id);
        expect(await ids()).toEqual(series('t1', 10).map((m) => m.id));
        expect(await ids({ limit: 3 })).toEqual(['m007', 'm008', 'm009']);
        expect(await ids({ before: T0 + 5 * MINUTE, limit: 2 })).toEqual(['m003', 'm004']);
        expect(await ids({ since: T0 + 8 * MINUTE })).toEqual(['m008', 'm009']);
        expect(await ids({ since: T0 + 2 * MINUTE, before: T0 + 4 * MINUTE })).toEqual(['m002', 'm003']);
        expect(await store.listMessages('unknown')).toEqual([]);
      }),
    );

    it(
      'orders messages of the same time by id',
      withStore(open, async (store) => {
        await store.write({
          threads: [thread('t1')],
          messages: ['c', 'a', 'b'].map((id) => message('t1', id, { sentAt: T0 })),
        });
        expect((await store.listMessages('t1')).map((m) => m.id)).toEqual(['a', 'b', 'c']);
      }),
    );

    it(
      'pages back from a message by (time, id), keeping the others of its millisecond',
      withStore(open, async (store) => {
        // Groups of four messages per millisecond, written out of order.
        const all = Array.from({ length: 10 }, (_, i) =>
          message('t1', `m${String(i).padStart(2, '0')}`, { sentAt: T0 + Math.floor(i / 4) }),
        );
        await store.write({ threads: [thread('t1'), thread('t2')], messages: [...all].reverse() });
        await store.write({ messages: [message('t2', 'm05', { sentAt: T0 + 1 })] });
        const ids = async (range: Parameters<typeof store.listMessages>[1]) =>
          (await store.listMessages('t1', range)).map((m) => m.id);
        expect(await ids({ beforeMessage: { sentAt: T0 + 1, id: 'm06' }, limit: 3 })).toEqual(['m03', 'm04', 'm05']);
        expect(await ids({ beforeMessage: { sentAt: T0 + 1, id: 'm04' } })).toEqual(['m00', 'm01', 'm02', 'm03']);
        expect(await ids({ beforeMessage: { sentAt: T0 + 2, id: 'm99' } })).toEqual(all.map((m) => m.id));
        expect(await ids({ beforeMessage: { sentAt: T0 + 1, id: 'm06' }, since: T0 + 1 })).toEqual(['m04', 'm05']);
        expect(await ids({ beforeMessage: { sentAt: T0 + 2, id: 'm09' }, before: T0 + 1 })).toEqual([
          'm00',
          'm01',
          'm02',
          'm03',
        ]);
        expect(await ids({ beforeMessage: { sentAt: T0, id: 'm00' } })).toEqual([]);
        // Walking back page by page from the newest sees every message once.
        const seen: string[] = [];
        let page = await store.listMessages('t1', { limit: 3 });
        while (page.length > 0) {
          seen.unshift(...page.map((m) => m.id));
          const oldest = page[0]!;
          page = await store.listMessages('t1', { limit: 3, beforeMessage: { sentAt: oldest.sentAt, id: oldest.id } });
        }
        expect(seen).toEqual(all.map((m) => m.id));
      }),
    );
  });

  describe('streamMessages', () => {
    it(
      'streams every message ordered by thread then time, with filters',
      withStore(open, async (store) => {
        await store.write({
          threads: [thread('t2'), thread('t1')],
          messages: [...series('t2', 3).reverse(), ...series('t1', 4).reverse()],
        });
        const all = await collect(store.streamMessages());
        expect(all.map((m) => `${m.threadId}/${m.id}`)).toEqual([
          't1/m000',
          't1/m001',
          't1/m002',
          't1/m003',
          't2/m000',
          't2/m001',
          't2/m002',
        ]);
        const some = await collect(
          store.streamMessages({ threadIds: ['t2'], since: T0 + MINUTE, until: T0 + 2 * MINUTE }),
        );
        expect(some.map((m) => `${m.threadId}/${m.id}`)).toEqual(['t2/m001']);
        expect(await collect(store.streamMessages({ threadIds: [] }))).toEqual([]);
      }),
    );

    it(
      'orders messages of one thread sent in the same millisecond by id, after a mark too',
      withStore(open, async (store) => {
        await store.write({
          threads: [thread('t1'), thread('t2')],
          messages: [message('t1', 'first', { sentAt: T0 })],
        });
        const mark = await store.storeSeq();
        const tied = (threadId: string, id: string) => message(threadId, id, { sentAt: T0 + MINUTE });
        await store.write({
          messages: [tied('t1', 'c'), tied('t2', 'a'), tied('t1', 'a'), tied('t1', 'b'), tied('t2', 'b')],
        });
        await store.write({ messages: [message('t1', 'last', { sentAt: T0 + 2 * MINUTE }), tied('t1', 'aa')] });
        const order = ['t1/first', 't1/a', 't1/aa', 't1/b', 't1/c', 't1/last', 't2/a', 't2/b'];
        const ids = (messages: Array<{ threadId: string; id: string }>) => messages.map((m) => `${m.threadId}/${m.id}`);
        expect(ids(await collect(store.streamMessages()))).toEqual(order);
        expect(ids(await collect(store.streamMessages({ storedAfterSeq: mark })))).toEqual(order.slice(1));
      }),
    );

    it(
      'leaves the store usable while a stream is open, and after it is left early',
      withStore(open, async (store) => {
        await store.write({ threads: [thread('t1')], messages: series('t1', 50) });
        let seen = 0;
        for await (const m of store.streamMessages()) {
          expect((await store.getMessage('t1', m.id))?.id).toBe(m.id);
          seen += 1;
          if (seen === 10) break;
        }
        expect(seen).toBe(10);
        await store.write({ threads: [thread('t1')], messages: [message('t1', 'late')] });
        expect((await store.counts()).messages).toBe(51);
      }),
    );

    it(
      'streams only what was stored after a storeSeq() mark',
      withStore(open, async (store) => {
        await store.write({ threads: [thread('t1')], messages: series('t1', 3) });
        const mark = await store.storeSeq();
        expect(await collect(store.streamMessages({ storedAfterSeq: mark }))).toEqual([]);

        await store.write({ threads: [thread('t1')], messages: series('t1', 3) });
        expect(await store.storeSeq()).toBe(mark);

        await store.write({ threads: [thread('t1')], messages: [message('t1', 'new', { sentAt: T0 - DAY })] });
        const afterAdd = await store.storeSeq();
        expect(afterAdd).toBeGreaterThan(mark);
        expect((await collect(store.streamMessages({ storedAfterSeq: mark }))).map((m) => m.id)).toEqual(['new']);

        const reacted = { ...series('t1', 3)[1]!, reactions: [{ emoji: '👍', actor: 'Bob', actorId: null, at: null }] };
        await store.write({ threads: [thread('t1')], messages: [reacted] });
        expect(await store.storeSeq()).toBeGreaterThan(afterAdd);
        expect((await collect(store.streamMessages({ storedAfterSeq: afterAdd }))).map((m) => m.id)).toEqual(['m001']);
        expect(await collect(store.streamMessages({ storedAfterSeq: await store.storeSeq() }))).toEqual([]);
      }),
    );
  });
}
