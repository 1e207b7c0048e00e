// Contract: the outbox delivers in order per lane, with leases, retries and dead letters.
import { describe, expect, it } from 'vitest';
import type { OutboxEntryInput, Store } from '../../src/store/store.js';
import { type OpenStore, T0, withStore } from './fixtures.js';

const LEASE = 30_000;

function entry(dedupeKey: string, lane: string, fields: Partial<OutboxEntryInput> = {}): OutboxEntryInput {
  return {
    direction: 'to_telegram',
    dedupeKey,
    lane,
    payload: { key: dedupeKey, nested: [1, 'two', null] },
    ...fields,
  };
}

async function claimedKeys(
  store: Store,
  now: number,
  limit = 10,
  direction: 'to_telegram' | 'to_instagram' = 'to_telegram',
) {
  return (await store.claimDue(direction, now, limit, LEASE)).map((e) => e.dedupeKey);
}

export function outboxContract(open: OpenStore): void {
  describe('outbox', () => {
    it(
      'enqueues once per dedupe key and keeps payload and client context',
      withStore(open, async (store) => {
        const first = await store.enqueue(entry('k1', 'lane-a', { clientContext: 'cc-1' }), T0);
        expect(first).toMatchObject({
          direction: 'to_telegram',
          dedupeKey: 'k1',
          lane: 'lane-a',
          payload: { key: 'k1', nested: [1, 'two', null] },
          clientContext: 'cc-1',
          attempts: 0,
          nextAttemptAt: T0,
          lastError: null,
          deadLettered: false,
          createdAt: T0,
          leaseUntil: null,
        });
        const again = await store.enqueue(entry('k1', 'lane-b', { payload: 'other' }), T0 + 1);
        expect(again).toEqual(first);
        expect(await store.outboxStats()).toEqual({ pending: 1, deadLettered: 0 });
        await store.ack(first.id);
        expect((await store.enqueue(entry('k1', 'lane-a'), T0 + 2)).id).toBe(first.id);
        expect(await store.outboxStats()).toEqual({ pending: 0, deadLettered: 0 });
        expect(await claimedKeys(store, T0 + 10)).toEqual([]);
      }),
    );

    it(
      'claims at most one entry per lane, the oldest, and keeps lanes in order',
      withStore(open, async (store) => {
        for (const [key, lane] of [
          ['a1', 'A'],
          ['b1', 'B'],
          ['a2', 'A'],
          ['c1', 'C'],
          ['b2', 'B'],
        ] as const) {
          await store.enqueue(entry(key, lane), T0);
        }
        await store.enqueue(entry('i1', 'A', { direction: 'to_instagram' }), T0);
        const claimed = await store.claimDue('to_telegram', T0, 10, LEASE);
        expect(claimed.map((e) => e.dedupeKey)).toEqual(['a1', 'b1', 'c1']);
        expect(claimed.every((e) => e.leaseUntil === T0 + LEASE)).toBe(true);
        expect(await claimedKeys(store, T0 + 1)).toEqual([]);
        const [a1, b1] = claimed;
        await store.ack(a1!.id);
        expect(await claimedKeys(store, T0 + 2)).toEqual(['a2']);
        await store.ack(b1!.id);
        expect(await claimedKeys(store, T0 + 3, 1)).toEqual(['b2']);
        expect(await claimedKeys(store, T0 + 4, 10, 'to_instagram')).toEqual(['i1']);
      }),
    );

    it(
      'lets an expired lease be claimed again',
      withStore(open, async (store) => {
        await store.enqueue(entry('k1', 'A'), T0);
        expect(await claimedKeys(store, T0)).toEqual(['k1']);
        expect(await claimedKeys(store, T0 + LEASE - 1)).toEqual([]);
        expect(await claimedKeys(store, T0 + LEASE)).toEqual(['k1']);
      }),
    );

    it(
      'records failures, waits for the next attempt and dead-letters at the limit',
      withStore(open, async (store) => {
        const { id } = await store.enqueue(entry('k1', 'A'), T0);
        await store.enqueue(entry('k2', 'A'), T0);
        await store.claimDue('to_telegram', T0, 10, LEASE);
        const failed = await store.fail(id, 'timeout', T0 + 1000, 3);
        expect(failed).toMatchObject({
          id,
          attempts: 1,
          lastError: 'timeout',
          nextAttemptAt: T0 + 1000,
          deadLettered: false,
          leaseUntil: null,
        });
        expect(await claimedKeys(store, T0 + 999)).toEqual([]);
        expect(await claimedKeys(store, T0 + 1000)).toEqual(['k1']);
        await store.fail(id, 'timeout again', T0 + 2000, 3);
        await store.claimDue('to_telegram', T0 + 2000, 10, LEASE);
        const dead = await store.fail(id, 'gave up', T0 + 3000, 3);
        expect(dead).toMatchObject({ attempts: 3, lastError: 'gave up', deadLettered: true });
        expect((await store.listDeadLetters()).map((e) => e.dedupeKey)).toEqual(['k1']);
        expect(await store.outboxStats()).toEqual({ pending: 1, deadLettered: 1 });
        expect(await claimedKeys(store, T0 + 5000)).toEqual(['k2']);

        expect(await store.retryDeadLetters(T0 + 6000)).toBe(1);
        expect(await store.listDeadLetters()).toEqual([]);
        expect(await store.outboxStats()).toEqual({ pending: 2, deadLettered: 0 });
        const [k2] = await store.claimDue('to_telegram', T0 + 6000 + LEASE, 10, LEASE);
        expect(k2?.dedupeKey).toBe('k1');
        expect(k2).toMatchObject({ deadLettered: false, nextAttemptAt: T0 + 6000 });
        expect(await store.retryDeadLetters(T0 + 7000)).toBe(0);
      }),
    );

    it(
      'postpones an entry without counting an attempt, however often',
      withStore(open, async (store) => {
        const { id } = await store.enqueue(entry('k1', 'A'), T0);
        await store.enqueue(entry('k2', 'A'), T0);
        let now = T0;
        for (let round = 1; round <= 5; round++) {
          expect(await claimedKeys(store, now)).toEqual(['k1']);
          const postponed = await store.postpone(id, `rate limited ${round}`, now + 1000);
          expect(postponed).toMatchObject({
            id,
            attempts: 0,
            lastError: `rate limited ${round}`,
            nextAttemptAt: now + 1000,
            deadLettered: false,
            leaseUntil: null,
          });
          expect(await claimedKeys(store, now + 999)).toEqual([]);
          now += 1000;
        }
        // A counted failure after the waits is the first attempt.
        await store.claimDue('to_telegram', now, 10, LEASE);
        expect(await store.fail(id, 'boom', now + 1000, 2)).toMatchObject({ attempts: 1, deadLettered: false });
        await expect(store.postpone(987_654, 'gone', now)).rejects.toThrow(/does not exist/);
      }),
    );

    it(
      'wakes the waiting entries of one direction, leaving leased, done and dead ones and the other direction',
      withStore(open, async (store) => {
        const waiting = await store.enqueue(entry('w1', 'A'), T0);
        const other = await store.enqueue(entry('o1', 'B', { direction: 'to_instagram' }), T0);
        const leased = await store.enqueue(entry('l1', 'C'), T0);
        const dead = await store.enqueue(entry('d1', 'D'), T0);
        await store.enqueue(entry('due', 'E'), T0);
        await store.postpone(waiting.id, 'blocked', T0 + 120_000);
        await store.postpone(other.id, 'blocked', T0 + 240_000);
        await store.claimDue('to_telegram', T0, 10, LEASE); // leases l1, d1, due (and w1 is not due)
        await store.fail(dead.id, 'refused', T0 + 120_000, 1);
        await store.fail(leased.id, 'boom', T0 + 120_000, 5);
        await store.claimDue('to_telegram', T0 + 120_000, 10, LEASE); // l1 leased again, until T0 + 150,000
        await store.ack((await store.enqueue(entry('due', 'E'), T0)).id);
        await store.postpone(waiting.id, 'blocked', T0 + 240_000);

        expect(await store.wakeOutbox('to_telegram', T0 + 121_000)).toBe(1);
        expect(await claimedKeys(store, T0 + 121_000)).toEqual(['w1']);
        expect(await claimedKeys(store, T0 + 121_000, 10, 'to_instagram')).toEqual([]);
        expect(await store.wakeOutbox('to_telegram', T0 + 121_000)).toBe(0);
      }),
    );

    it(
      'frees the running leases of open entries in both directions, so a restarted bridge need not wait them out',
      withStore(open, async (store) => {
        await store.enqueue(entry('t1', 'A'), T0);
        await store.enqueue(entry('i1', 'B', { direction: 'to_instagram' }), T0);
        const acked = await store.enqueue(entry('t2', 'C'), T0);
        await store.claimDue('to_telegram', T0, 10, LEASE);
        await store.claimDue('to_instagram', T0, 10, LEASE);
        await store.ack(acked.id);
        expect(await claimedKeys(store, T0 + 1_000)).toEqual([]);

        expect(await store.releaseLeases(T0 + 1_000)).toBe(2);
        expect(await claimedKeys(store, T0 + 1_000)).toEqual(['t1']);
        expect(await claimedKeys(store, T0 + 1_000, 10, 'to_instagram')).toEqual(['i1']);
        // A lease already over is no lease: nothing to free.
        expect(await store.releaseLeases(T0 + 1_000 + LEASE)).toBe(0);
      }),
    );
  });
}
