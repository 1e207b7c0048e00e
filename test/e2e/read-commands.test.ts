// igtg search, threads and show through the built binary against a seeded SQLite store.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHitJson as HitJson } from '../../src/cli/format/search-hits.js';
import type { Message, Thread } from '../../src/core/model.js';
import { StatusMeta } from '../../src/core/status-meta.js';
import { runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';
import { DAY, T0, message as storeMessage, thread as storeThread } from '../store/fixtures.js';

const { home, cleanup } = tempHome('igtg-read-');
const empty = tempHome('igtg-read-empty-');
afterAll(() => {
  cleanup();
  empty.cleanup();
});

function thread(id: string, title: string, names: string[], fields: Partial<Thread> = {}): Thread {
  return storeThread(id, {
    title,
    isGroup: names.length > 1,
    participants: names.map((name) => ({ userId: null, name, username: null })),
    ...fields,
  });
}

function message(
  threadId: string,
  id: string,
  sentAt: number,
  senderName: string,
  text: string | null,
  fields: Partial<Message> = {},
): Message {
  return storeMessage(threadId, id, { sentAt, senderName, text, ...fields });
}

const THREADS = [
  thread('340282366841710300949128171234567890', 'Zoë Müller', ['Zoë Müller']),
  thread('340282366841710300949128179876543210', 'Zoë, Max and Sam', ['Zoë Müller', 'Max', 'Sam']),
  thread('archive:bookclub_123', 'Book club', ['Ana', 'Bo']),
];
const [ZOE, GROUP, BOOKS] = THREADS.map((t) => t.id) as [string, string, string];

const MESSAGES: Message[] = [
  message(ZOE, 'z1', T0, 'Zoë Müller', 'Shall we get pizza tonight?'),
  message(ZOE, 'z2', T0 + 60_000, 'Me', 'Yes! pizza pizza pizza', {
    fromMe: true,
    replyTo: 'z1',
    reactions: [{ emoji: '❤️', actor: 'Zoë Müller', actorId: null, at: T0 + 120_000 }],
  }),
  message(ZOE, 'z3', T0 + DAY, 'Zoë Müller', null, {
    kind: 'photo',
    media: [
      {
        kind: 'photo',
        url: null,
        path: 'ab/cdef.jpg',
        name: 'photo_1.jpg',
        mime: 'image/jpeg',
        width: 10,
        height: 10,
        durationMs: null,
      },
    ],
  }),
  message(ZOE, 'z4', T0 + 2 * DAY, 'Zoë Müller', 'the café near the station was naïve about pizza'),
  message(GROUP, 'g1', T0 + 3 * DAY, 'Max', 'pizza party on friday'),
  message(GROUP, 'g2', T0 + 4 * DAY, 'Sam', 'bring the board games', {
    share: { url: 'https://example.com/p/1', text: 'chess tournament', owner: 'club' },
  }),
  message(BOOKS, 'b1', T0 - DAY, 'Ana', 'next book: the name of the rose'),
];

beforeAll(async () => {
  await withProfileStore(home, (store) => store.write({ threads: THREADS, messages: MESSAGES }));
});

const env = { TZ: 'UTC' };
/** Each test runs the binary several times; shared CI machines can be slow to start processes. */
const SLOW = 120_000;
const igtg = (...args: string[]) => runIgtg(args, { home, env });

async function json<T>(...args: string[]): Promise<T> {
  const result = await igtg(...args, '--json');
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(String(result.stdout)) as T;
}

const ids = (hits: HitJson[]) => hits.map((hit) => hit.message_id).sort();

function expectUsageError(result: { exitCode?: number; stderr: unknown; stdout: unknown }, pattern: RegExp): void {
  expect(result.exitCode).toBe(2);
  const stderr = String(result.stderr).trim();
  expect(stderr.split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .+:\d+/);
  expect(result.stdout).toBe('');
}

describe('igtg search', { timeout: SLOW }, () => {
  it('prints the documented JSON records, best match first', async () => {
    const hits = await json<HitJson[]>('search', 'pizza');
    expect(hits[0]!.message_id).toBe('z2');
    expect(Object.keys(hits[0]!)).toEqual([
      'thread_id',
      'thread_title',
      'message_id',
      'sender',
      'text',
      'sent_at',
      'snippet',
      'score',
    ]);
    expect(hits[0]).toMatchObject({
      thread_id: ZOE,
      thread_title: 'Zoë Müller',
      sender: 'Me',
      text: 'Yes! pizza pizza pizza',
      sent_at: '2024-03-01T12:01:00.000Z',
      snippet: 'Yes! pizza pizza pizza',
    });
    expect(hits.every((hit) => typeof hit.score === 'number')).toBe(true);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect(ids(hits)).toEqual(['g1', 'z1', 'z2', 'z4']);
  });

  it('ignores diacritics and case, and reads phrases, prefixes, exclusions and OR', async () => {
    expect(ids(await json('search', 'ZOE'))).toEqual([]);
    expect(ids(await json('search', 'cafe', 'NAIVE'))).toEqual(['z4']);
    expect(ids(await json('search', '"tonight pizza"'))).toEqual([]);
    expect(ids(await json('search', '"get pizza"'))).toEqual(['z1']);
    expect(ids(await json('search', 'piz*', '-tonight', '-"pizza party"'))).toEqual(['z2', 'z4']);
    // Exclusions that start like the global -p, -q and -V options are still exclusions.
    expect(ids(await json('search', 'piz*', '-tonight', '-pie', '-quinoa', '-Vanilla'))).toEqual(['g1', 'z2', 'z4']);
    expect(ids(await json('search', 'chess', 'OR', 'rose'))).toEqual(['b1', 'g2']);
  });

  it('filters by thread (id or title, repeatable), sender and dates', async () => {
    expect(ids(await json('search', 'pizza', '--thread', GROUP))).toEqual(['g1']);
    expect(ids(await json('search', 'pizza', '--thread', 'müller'))).toEqual(['z1', 'z2', 'z4']);
    expect(ids(await json('search', 'pizza', '--thread', 'max and', '--thread', BOOKS))).toEqual(['g1']);
    expect(ids(await json('search', 'pizza', '--from', 'zoe'))).toEqual(['z1', 'z4']);
    expect(ids(await json('search', 'pizza', '--since', '2024-03-02', '--until', '2024-03-04T00:00'))).toEqual(['z4']);
  });

  it('sorts by time and limits the results', async () => {
    const newest = await json<HitJson[]>('search', 'pizza', '--sort', 'newest', '--limit', '2');
    expect(newest.map((hit) => hit.message_id)).toEqual(['g1', 'z4']);
    const oldest = await json<HitJson[]>('search', 'pizza', '--sort', 'oldest');
    expect(oldest.map((hit) => hit.message_id)).toEqual(['z1', 'z2', 'z4', 'g1']);
  });

  it('shows thread, sender, local time and the snippet in the terminal', async () => {
    const result = await igtg('search', 'chess');
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toBe('Zoë, Max and Sam · Sam · 2024-03-05 12:00\n  chess tournament');
    const berlin = await runIgtg(['search', 'chess'], { home, env: { TZ: 'Europe/Berlin' } });
    expect(String(berlin.stdout)).toContain('2024-03-05 13:00');
  });

  it('highlights matches when colour is forced', async () => {
    const result = await runIgtg(['search', 'chess'], {
      home,
      env: { TZ: 'UTC', NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    expect(String(result.stdout)).toContain('\u001b[1m\u001b[33mchess\u001b[39m\u001b[22m tournament');
  });

  it('says so on stderr when nothing matches, and prints [] as JSON', async () => {
    const result = await igtg('search', 'nothinglikethis');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(String(result.stderr).trim()).toBe('no messages match');
    expect(await json('search', 'nothinglikethis')).toEqual([]);
  });

  it('accepts any query text without an engine error', async () => {
    // The store contract runs the long list; this checks the text gets there intact through the CLI.
    const hostile = [
      '"pizza',
      'pizza OR',
      '-',
      '*',
      'NEAR(pizza party)',
      'text:pizza',
      "'; DROP TABLE messages; --",
      '🍕',
    ];
    for (const query of hostile) {
      const result = await igtg('search', query, '--json');
      expect({ query, exitCode: result.exitCode, stderr: result.stderr }).toEqual({ query, exitCode: 0, stderr: '' });
      expect(Array.isArray(JSON.parse(String(result.stdout)))).toBe(true);
    }
    const literal = await igtg('search', '--json', '--', 'pizza', '-tonight', '(party)!');
    expect(ids(JSON.parse(String(literal.stdout)) as HitJson[])).toEqual(['g1']);
  });

  it('rejects bad option values with one line and exit 2', async () => {
    for (const limit of ['0', '-1', 'abc', '1.5'])
      expectUsageError(
        await igtg('search', 'pizza', '--limit', limit),
        /^error: --limit: .* is not a positive whole number$/,
      );
    expectUsageError(
      await igtg('search', 'pizza', '--since', 'yesterday-ish'),
      /^error: --since: cannot read "yesterday-ish" as a date/,
    );
    expectUsageError(await igtg('search', 'pizza', '--sort', 'random'), /argument 'random' is invalid/);
    expectUsageError(await igtg('search', 'pizza', '--limt', '3'), /^error: unknown option '--limt'/);
    // After `--` the words are the query's, as documented: `--limt` is then an excluded word.
    const literal = await igtg('search', '--json', '--', 'pizza', '--limt');
    expect(literal.exitCode).toBe(0);
    expect((JSON.parse(String(literal.stdout)) as unknown[]).length).toBeGreaterThan(0);
    expectUsageError(
      await igtg('search', 'pizza', '--since', '2024-02-30T00:00'),
      /^error: --since: cannot read "2024-02-30T00:00" as a date/,
    );
    for (const from of ['', '   '])
      expectUsageError(await igtg('search', 'pizza', '--from', from), /^error: --from must name a sender/);
  });

  it('reports a --thread that matches nothing', async () => {
    const result = await igtg('search', 'pizza', '--thread', 'no such thread');
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr).trim()).toBe('error: --thread: no thread matches "no such thread" (see igtg threads)');
  });
});

describe('igtg threads', { timeout: SLOW }, () => {
  it('lists threads newest activity first as JSON', async () => {
    const threads = await json<Array<Record<string, unknown>>>('threads');
    expect(threads.map((t) => t.thread_id)).toEqual([GROUP, ZOE, BOOKS]);
    expect(threads[0]).toEqual({
      thread_id: GROUP,
      title: 'Zoë, Max and Sam',
      participants: ['Zoë Müller', 'Max', 'Sam'],
      messages: 2,
      last_message_at: '2024-03-05T12:00:00.000Z',
      is_group: true,
      is_request: false,
    });
    expect(threads[1]).toMatchObject({ messages: 4, last_message_at: '2024-03-03T12:00:00.000Z' });
    expect((await json<unknown[]>('threads', '--limit', '1')).length).toBe(1);
  });

  it('prints one line per thread in the terminal', async () => {
    const result = await igtg('threads');
    const lines = String(result.stdout).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^2024-03-05 12:00\s+2\s+Zoë, Max and Sam \(group\)\s+340282366841710300949128179876543210$/,
    );
    expectUsageError(await igtg('threads', '--limit', 'x'), /--limit/);
  });

  it('handles an empty store', async () => {
    await withProfileStore(empty.home, async () => undefined);
    const result = await runIgtg(['threads'], { home: empty.home, env });
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toMatch(/no threads stored yet/);
    const asJson = await runIgtg(['threads', '--json'], { home: empty.home, env });
    expect(JSON.parse(String(asJson.stdout))).toEqual([]);
  });
});

describe('a profile without a store', { timeout: SLOW }, () => {
  // A mistyped profile (or IGTG_HOME missing under cron) must not read as an empty store, nor create one.
  it('is an error for the commands that only read, and none of them creates it', async () => {
    const missing = tempHome('igtg-read-missing-');
    try {
      const store = `${missing.home}/profiles/defualt/igtg.db`;
      for (const args of [['threads'], ['search', 'hello'], ['show', 'Zoë'], ['export', '-f', 'jsonl', '-o', '-']]) {
        const result = await runIgtg(['--profile', 'defualt', ...args], { home: missing.home, env });
        expect(result.exitCode, args.join(' ')).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          `error: no store at ${store}: nothing was imported or synced into this profile yet (run igtg import or igtg sync, or check --profile, IGTG_HOME and IGTG_DB)`,
        );
      }
      const status = await runIgtg(['--profile', 'defualt', '--json', 'status'], { home: missing.home, env });
      expect(status.exitCode).toBe(0);
      const report = JSON.parse(String(status.stdout)) as { store: unknown; counts: unknown };
      expect(report.store).toEqual({ kind: 'sqlite', location: store, exists: false });
      expect(report.counts).toEqual({ threads: 0, messages: 0, users: 0 });
      const human = await runIgtg(['--profile', 'defualt', 'status'], { home: missing.home, env });
      expect(String(human.stdout)).toContain(`${store} (not created yet: igtg import or igtg sync)`);
      expect(existsSync(store)).toBe(false);
      expect(existsSync(`${missing.home}/profiles/defualt`)).toBe(false);
      // Nor does a sync that cannot start (not logged in); its lock's folder is no store.
      const sync = await runIgtg(['--profile', 'defualt', 'sync'], {
        home: missing.home,
        env: { ...env, IGTG_SECRETS: 'file' },
      });
      expect([sync.exitCode, sync.stderr]).toEqual([1, 'error: not logged in to Instagram; run `igtg login` first']);
      expect(existsSync(store)).toBe(false);
      // A 0-byte file (what an open that failed at once leaves) is no store either.
      mkdirSync(`${missing.home}/profiles/empty`, { recursive: true });
      writeFileSync(`${missing.home}/profiles/empty/igtg.db`, '');
      const empty = await runIgtg(['--profile', 'empty', 'export', '-f', 'jsonl', '-o', '-'], {
        home: missing.home,
        env,
      });
      expect([empty.exitCode, empty.stderr]).toEqual([
        1,
        `error: no store at ${missing.home}/profiles/empty/igtg.db: nothing was imported or synced into this profile yet (run igtg import or igtg sync, or check --profile, IGTG_HOME and IGTG_DB)`,
      ]);
    } finally {
      missing.cleanup();
    }
  });

  it('a store nothing ever went into is no source for an export, which keeps the last good output', async () => {
    const blank = tempHome('igtg-read-blank-');
    try {
      await withProfileStore(blank.home, async () => undefined);
      const out = join(blank.home, 'backup.jsonl');
      writeFileSync(out, '{"message_id":"kept"}\n');
      const result = await runIgtg(['export', '-f', 'jsonl', '-o', out], { home: blank.home, env });
      expect([result.exitCode, result.stderr]).toEqual([
        1,
        `error: the store at ${blank.home}/profiles/default/igtg.db is empty: nothing was imported or synced into this profile yet (run igtg import or igtg sync, or check --profile, IGTG_HOME and IGTG_DB)`,
      ]);
      expect(readFileSync(out, 'utf8')).toBe('{"message_id":"kept"}\n');
      // Once a sync has finished it is a store, however empty.
      await withProfileStore(blank.home, (store) =>
        store.write({ meta: { [StatusMeta.lastSyncAt]: String(Date.now()) } }),
      );
      const synced = await runIgtg(['export', '-f', 'jsonl', '-o', out], { home: blank.home, env });
      expect(synced.exitCode).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe('');
    } finally {
      blank.cleanup();
    }
  });
});

describe('igtg show', { timeout: SLOW }, () => {
  it('prints messages oldest to newest as message JSON', async () => {
    const messages = await json<Array<Record<string, unknown>>>('show', ZOE);
    expect(messages.map((m) => m.message_id)).toEqual(['z1', 'z2', 'z3', 'z4']);
    expect(messages[1]).toEqual({
      message_id: 'z2',
      thread_id: ZOE,
      sender: 'Me',
      sender_id: null,
      text: 'Yes! pizza pizza pizza',
      sent_at: '2024-03-01T12:01:00.000Z',
      kind: 'text',
      media: [],
      share: null,
      reactions: [{ emoji: '❤️', actor: 'Zoë Müller' }],
      reply_to: 'z1',
      unsent: false,
      from_me: true,
      source: 'archive',
    });
    expect(messages[2]).toMatchObject({
      kind: 'photo',
      media: [{ kind: 'photo', path: 'ab/cdef.jpg', url: null, name: 'photo_1.jpg', mime: 'image/jpeg' }],
    });
  });

  it('takes the newest N of a date range', async () => {
    const ids = async (...args: string[]) =>
      (await json<Array<{ message_id: string }>>('show', ...args)).map((m) => m.message_id);
    expect(await ids(ZOE, '--limit', '2')).toEqual(['z3', 'z4']);
    expect(await ids(ZOE, '--before', '2024-03-02T12:00')).toEqual(['z1', 'z2']);
    expect(await ids(ZOE, '--since', '2024-03-02')).toEqual(['z3', 'z4']);
    expect(await ids('Zoë Müller', '--since', '2024-03-10')).toEqual([]);
  });

  it('finds a thread by a unique part of its title and prints days, times and details', async () => {
    const result = await igtg('show', 'müller');
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toBe(
      [
        'Zoë Müller',
        '',
        '── Friday 2024-03-01 ──',
        '12:00  Zoë Müller: Shall we get pizza tonight?',
        '12:01  Me: Yes! pizza pizza pizza',
        '       ↩ in reply to Zoë Müller: Shall we get pizza tonight?',
        '       ❤️ Zoë Müller',
        '',
        '── Saturday 2024-03-02 ──',
        '12:00  Zoë Müller: [photo] ab/cdef.jpg',
        '',
        '── Sunday 2024-03-03 ──',
        '12:00  Zoë Müller: the café near the station was naïve about pizza',
      ].join('\n'),
    );
  });

  it('prefers the thread whose whole title matches', async () => {
    const messages = await json<Array<{ thread_id: string }>>('show', 'zoe muller');
    expect(new Set(messages.map((m) => m.thread_id))).toEqual(new Set([ZOE]));
  });

  it('lists the candidates when the title matches several threads', async () => {
    expectUsageError(
      await igtg('show', 'zoe'),
      /^error: "zoe" matches 2 threads: "Zoë, Max and Sam" \(340282366841710300949128179876543210\), "Zoë Müller" \(340282366841710300949128171234567890\); give the thread id$/,
    );
  });

  it('fails clearly for an unknown thread and bad options', async () => {
    const unknown = await igtg('show', 'nobody at all');
    expect(unknown.exitCode).toBe(1);
    expect(String(unknown.stderr).trim()).toBe('error: no thread matches "nobody at all" (see igtg threads)');
    expectUsageError(await igtg('show', ZOE, '--limit', '0'), /^error: --limit: "0" is not a positive whole number$/);
    expectUsageError(await igtg('show', ZOE, '--before', 'soon'), /^error: --before: cannot read "soon"/);
  });
});
