// Contract: full-text search syntax, ranking, filters and safety.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../src/store/store.js';
import { type OpenStore, DAY, MINUTE, T0, message, thread, user, withStore } from './fixtures.js';

const TEXTS: Record<string, string> = {
  fruit1: 'apple banana',
  fruit2: 'apple cherry',
  fruit3: 'banana cherry',
  fruit4: 'apple',
  fox1: 'the quick brown fox jumps',
  fox2: 'the brown quick fox sleeps',
  pizza1: 'pizza pizza pizza tonight',
  pizza2: 'I was thinking that maybe later we could get some pizza or something else for dinner if you are hungry',
  accents: 'Zoë said the café was naïve',
  plain: 'we met at the cafe near the station',
  keywords: 'NEAR the AND gate NOT here OR there',
};

/** A small deterministic random number generator (0 ≤ x < 1). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

async function seed(store: Store): Promise<void> {
  await store.write({
    threads: [thread('t1', { title: 'Fruit and foxes' })],
    messages: Object.entries(TEXTS).map(([id, text], index) =>
      message('t1', id, { text, sentAt: T0 + index * MINUTE }),
    ),
  });
}

async function ids(store: Store, text: string): Promise<string[]> {
  return (await store.search({ text, limit: 100 })).map((hit) => hit.message.id).sort();
}

const HOSTILE = [
  '',
  '   ',
  '"',
  '""',
  '"""',
  '"apple',
  'apple"',
  'OR',
  'OR OR',
  'apple OR',
  'OR apple',
  'AND',
  'NOT',
  'NEAR',
  'NEAR(apple banana, 2)',
  'apple AND',
  'apple NOT',
  '-',
  '--',
  '-apple',
  '- apple',
  '-"',
  '"-"',
  '*',
  '**',
  'a*b*',
  '*apple',
  '(',
  ')',
  '(apple',
  'apple)',
  '((((((',
  'text:apple',
  'share_text:apple',
  '{text share_text}: apple',
  '^apple',
  '+apple',
  "'",
  "apple'",
  '\\',
  '\\"',
  '%',
  '_',
  '.*',
  '[a-z]+',
  '$where',
  '{"$gt": ""}',
  "'; DROP TABLE messages; --",
  '🙂',
  '👨‍👩‍👧‍👦',
  '🇫🇷 apple',
  '\u0000',
  '\u0301',
  'a\u0000b',
  'x'.repeat(5000),
  Array.from({ length: 500 }, (_, i) => `w${i}`).join(' '),
  Array.from({ length: 500 }, (_, i) => `w${i}`).join(' OR '),
  Array.from({ length: 300 }, () => '"').join('apple'),
];

export function searchContract(open: OpenStore): void {
  describe('search', () => {
    it(
      'ANDs words and ignores case and diacritics both ways',
      withStore(open, async (store) => {
        await seed(store);
        expect(await ids(store, 'apple banana')).toEqual(['fruit1']);
        expect(await ids(store, 'APPLE')).toEqual(['fruit1', 'fruit2', 'fruit4']);
        expect(await ids(store, 'zoe')).toEqual(['accents']);
        expect(await ids(store, 'ZOË')).toEqual(['accents']);
        expect(await ids(store, 'naive')).toEqual(['accents']);
        expect(await ids(store, 'café')).toEqual(['accents', 'plain']);
        expect(await ids(store, 'cafe')).toEqual(['accents', 'plain']);
      }),
    );

    it(
      'supports "exact phrase", prefix*, -excluded and OR',
      withStore(open, async (store) => {
        await seed(store);
        expect(await ids(store, '"quick brown"')).toEqual(['fox1']);
        expect(await ids(store, 'quick brown')).toEqual(['fox1', 'fox2']);
        expect(await ids(store, 'piz*')).toEqual(['pizza1', 'pizza2']);
        expect(await ids(store, 'piz')).toEqual([]);
        expect(await ids(store, 'apple -banana')).toEqual(['fruit2', 'fruit4']);
        expect(await ids(store, 'apple -"apple cherry"')).toEqual(['fruit1', 'fruit4']);
        expect(await ids(store, 'banana OR cherry')).toEqual(['fruit1', 'fruit2', 'fruit3']);
        expect(await ids(store, 'apple banana OR cherry')).toEqual(['fruit1', 'fruit2']);
        expect(await ids(store, 'apple banana or cherry')).toEqual([]);
        expect(await ids(store, 'fox "brown quick')).toEqual(['fox2']);
        expect(await ids(store, 'fox "quick brown')).toEqual(['fox1']);
      }),
    );

    it(
      'reads engine keywords and punctuation as plain text',
      withStore(open, async (store) => {
        await seed(store);
        expect(await ids(store, 'NEAR gate')).toEqual(['keywords']);
        expect(await ids(store, 'NOT here')).toEqual(['keywords']);
        expect(await ids(store, 'apple:')).toEqual(['fruit1', 'fruit2', 'fruit4']);
        expect(await ids(store, '(apple) banana!')).toEqual(['fruit1']);
      }),
    );

    it(
      'returns nothing for a query without any positive word',
      withStore(open, async (store) => {
        await seed(store);
        for (const text of ['', '-apple', '🙂', '"" -banana', 'OR', '*'])
          expect(await store.search({ text })).toEqual([]);
      }),
    );

    it(
      'never fails on hostile input',
      withStore(open, async (store) => {
        await seed(store);
        for (const text of HOSTILE) {
          const hits = await store.search({ text }).catch((error: unknown) => {
            throw new Error(`search(${JSON.stringify(text.slice(0, 40))}) failed: ${String(error)}`);
          });
          expect(Array.isArray(hits)).toBe(true);
        }
        expect(await ids(store, '🇫🇷 apple')).toEqual(['fruit1', 'fruit2', 'fruit4']);
        expect(await ids(store, 'apple OR')).toEqual(['fruit1', 'fruit2', 'fruit4']);
        expect((await store.counts()).messages).toBe(Object.keys(TEXTS).length);
      }),
    );

    it(
      'ranks more relevant messages first and reports thread, score and a marked snippet',
      withStore(open, async (store) => {
        await seed(store);
        const hits = await store.search({ text: 'pizza' });
        expect(hits.map((hit) => hit.message.id)).toEqual(['pizza1', 'pizza2']);
        expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
        expect(hits[0]!.threadId).toBe('t1');
        expect(hits[0]!.threadTitle).toBe('Fruit and foxes');
        expect(hits[0]!.message.text).toBe(TEXTS.pizza1);
        expect(hits[1]!.snippet).toContain(`${SNIPPET_OPEN}pizza${SNIPPET_CLOSE}`);
        for (const hit of await store.search({ text: 'pizza OR apple OR fox', limit: 100 })) {
          const plain = hit.snippet.replaceAll(SNIPPET_OPEN, '').replaceAll(SNIPPET_CLOSE, '').replaceAll('…', '');
          expect(hit.message.text).toContain(plain.trim());
        }
        const accent = await store.search({ text: 'zoe' });
        expect(accent[0]!.snippet).toContain(`${SNIPPET_OPEN}Zoë${SNIPPET_CLOSE}`);
      }),
    );

    it(
      'finds the text of shared posts',
      withStore(open, async (store) => {
        await store.write({
          threads: [thread('t1')],
          messages: [
            message('t1', 's1', {
              kind: 'share',
              text: null,
              share: { url: 'https://x', text: 'a marvellous sunset', owner: 'nat' },
            }),
          ],
        });
        expect((await store.search({ text: 'sunset' })).map((hit) => hit.message.id)).toEqual(['s1']);
      }),
    );

    it(
      'sorts by newest or oldest and applies the limit (20 by default)',
      withStore(open, async (store) => {
        const messages = Array.from({ length: 30 }, (_, i) =>
          message('t1', `n${String(i).padStart(2, '0')}`, {
            text: `needle number ${i}`,
            sentAt: T0 + ((i * 7) % 30) * MINUTE,
          }),
        );
        await store.write({ threads: [thread('t1')], messages });
        const byTime = [...messages].sort((a, b) => a.sentAt - b.sentAt).map((m) => m.id);
        expect(await store.search({ text: 'needle' })).toHaveLength(20);
        expect((await store.search({ text: 'needle', sort: 'oldest', limit: 5 })).map((h) => h.message.id)).toEqual(
          byTime.slice(0, 5),
        );
        expect((await store.search({ text: 'needle', sort: 'newest', limit: 5 })).map((h) => h.message.id)).toEqual(
          byTime.reverse().slice(0, 5),
        );
        expect(await store.search({ text: 'needle', limit: 100 })).toHaveLength(30);
      }),
    );

    it(
      'filters by thread, sender (name or username, diacritics ignored) and time',
      withStore(open, async (store) => {
        await store.write({
          users: [user('u-zoe', { username: 'zoemuller', fullName: 'Zoë Müller' })],
          threads: [thread('t1'), thread('t2')],
          messages: [
            message('t1', 'z1', { text: 'hello from zoe', senderId: 'u-zoe', senderName: 'Zoë Müller', sentAt: T0 }),
            message('t1', 'x1', { text: 'hello from max', senderName: 'Max', sentAt: T0 + DAY }),
            message('t2', 'z2', {
              text: 'hello again',
              senderId: 'u-zoe',
              senderName: 'Zoë Müller',
              sentAt: T0 + 2 * DAY,
            }),
            message('t2', 'x2', { text: 'hello there', senderName: 'Max', sentAt: T0 + 3 * DAY }),
          ],
        });
        const find = async (query: Omit<Parameters<Store['search']>[0], 'text'>) =>
          (await store.search({ text: 'hello', ...query })).map((hit) => hit.message.id).sort();
        expect(await find({ threadIds: ['t2'] })).toEqual(['x2', 'z2']);
        expect(await find({ threadIds: ['t1', 't2'] })).toEqual(['x1', 'x2', 'z1', 'z2']);
        expect(await find({ from: 'zoe' })).toEqual(['z1', 'z2']);
        expect(await find({ from: 'MÜLLER' })).toEqual(['z1', 'z2']);
        expect(await find({ from: 'zoemuller' })).toEqual(['z1', 'z2']);
        expect(await find({ from: 'max' })).toEqual(['x1', 'x2']);
        expect(await find({ from: 'nobody' })).toEqual([]);
        expect(await find({ since: T0 + DAY })).toEqual(['x1', 'x2', 'z2']);
        expect(await find({ until: T0 + DAY })).toEqual(['z1']);
        expect(await find({ since: T0 + DAY, until: T0 + 3 * DAY })).toEqual(['x1', 'z2']);
        expect(await find({ threadIds: ['t1'], from: 'max', since: T0 })).toEqual(['x1']);
      }),
    );

    it(
      'orders and filters exactly as a brute force does, through ties and day boundaries',
      withStore(open, async (store) => {
        const random = lcg(42);
        const words = ['alpha', 'beta', 'gamma'];
        const senders = ['Zoë Müller', 'Max Mustermann'];
        // Few distinct times, many equal ones, around midnights; ids not in time order.
        const messages = Array.from({ length: 240 }, (_, i) =>
          message(`t${i % 6}`, `id${String((i * 37) % 240).padStart(3, '0')}`, {
            text: words.filter(() => random() < 0.6).join(' ') || 'alpha',
            // Zoey writes in one thread only; the others everywhere else.
            senderName: i % 6 === 5 ? 'Zoey Kim' : senders[Math.floor(random() * senders.length)]!,
            sentAt: T0 + Math.floor(random() * 6) * (DAY / 2) + Math.floor(random() * 3) * MINUTE,
          }),
        );
        await store.write({ threads: ['t0', 't1', 't2', 't3', 't4', 't5'].map((id) => thread(id)), messages });

        const byTime = (a: (typeof messages)[number], b: (typeof messages)[number]) =>
          a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        const cases: Array<Omit<Parameters<Store['search']>[0], 'text' | 'sort'>> = [
          {},
          { limit: 7 },
          { limit: 1 },
          { since: T0 + DAY + MINUTE, limit: 9 },
          { until: T0 + 2 * DAY - MINUTE, limit: 11 },
          { since: T0 + DAY / 2, until: T0 + 2 * DAY },
          { threadIds: ['t1'], limit: 5 },
          { from: 'zoe', limit: 13 },
          { from: 'zoey', limit: 6 },
          { from: 'KIM', since: T0 + DAY },
          { from: 'max', threadIds: ['t0', 't2'], since: T0 + MINUTE },
        ];
        for (const word of words) {
          for (const filter of cases) {
            const expected = messages.filter(
              (m) =>
                m.text!.split(' ').includes(word) &&
                (filter.since === undefined || m.sentAt >= filter.since) &&
                (filter.until === undefined || m.sentAt < filter.until) &&
                (filter.threadIds === undefined || filter.threadIds.includes(m.threadId)) &&
                (filter.from === undefined ||
                  m.senderName.toLowerCase().replace('ë', 'e').includes(filter.from.toLowerCase())),
            );
            const limit = filter.limit ?? 20;
            const oldest = [...expected].sort(byTime).map((m) => m.id);
            const newest = [...oldest].reverse();
            const found = async (sort: 'newest' | 'oldest' | 'relevance') =>
              (await store.search({ text: word, sort, ...filter })).map((hit) => hit.message.id);
            const label = JSON.stringify({ word, ...filter });
            expect(await found('newest'), label).toEqual(newest.slice(0, limit));
            expect(await found('oldest'), label).toEqual(oldest.slice(0, limit));
            const relevant = await found('relevance');
            expect(relevant.length, label).toBe(Math.min(limit, expected.length));
            if (expected.length <= limit) expect([...relevant].sort(), label).toEqual([...oldest].sort());
          }
        }
      }),
    );
  });
}
