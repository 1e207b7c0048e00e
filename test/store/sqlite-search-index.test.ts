// The SQLite full-text index beyond the contract: time keys, the upgrade of a version-1 file,
// indexing deferred to the end of an import, and the triggers of a contentless index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/sqlite/schema/migrations.js';
import { V1_INITIAL } from '../../src/store/sqlite/schema/v1-initial.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { KEYS_PER_DAY, timeKey } from '../../src/store/sqlite/time-key.js';
import { BIG_INDEX_HASH_BYTES, INDEX_CHUNK_ROWS } from '../../src/store/sqlite/write-batch.js';
import type { Store } from '../../src/store/store.js';
import { DAY, MINUTE, T0, message, thread } from './fixtures.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'igtg-fts-'));
  file = join(dir, 'igtg.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function withStore(body: (store: Store) => Promise<void>): Promise<void> {
  const store = await openSqliteStore(file);
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

const ids = async (store: Store, text: string, sort?: 'newest' | 'oldest') =>
  (await store.search({ text, sort, limit: 100 })).map((hit) => hit.message.id);

function counter(name: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number }).value;
  } finally {
    db.close();
  }
}

describe('time keys', () => {
  it('orders by UTC day, then row, and give back their row', () => {
    expect(timeKey(T0, 7)).toBe(Math.floor(T0 / DAY) * KEYS_PER_DAY + 7);
    expect(timeKey(T0 + DAY, 1)).toBeGreaterThan(timeKey(T0, KEYS_PER_DAY - 1));
    expect(timeKey(T0, 7) % KEYS_PER_DAY).toBe(7);
    expect(Number.isSafeInteger(timeKey(Date.UTC(7000, 0, 1), KEYS_PER_DAY - 1))).toBe(true);
  });

  it('falls back to -pk outside the range they can order', () => {
    expect(timeKey(-1, 5)).toBe(-5);
    expect(timeKey(Date.UTC(9000, 0, 1), 5)).toBe(-5);
    expect(timeKey(T0, KEYS_PER_DAY)).toBe(-KEYS_PER_DAY);
    expect(timeKey(T0 + 0.5, 5)).toBe(-5);
  });
});

/** The first batch of an import: two messages, their indexing left to the import's end. */
async function writeDeferred(store: Store): Promise<void> {
  await store.write({
    threads: [thread('t1')],
    messages: [message('t1', 'a', { text: 'first draft' }), message('t1', 'b', { text: 'other words' })],
    deferSearchIndex: true,
  });
}

/** The index's stored 'hashsize', or null while it has the built-in default. */
function indexHashSize(): number | null {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare("SELECT v FROM messages_fts_config WHERE k = 'hashsize'").get() as { v: number } | undefined;
    return row?.v ?? null;
  } finally {
    db.close();
  }
}

describe('SQLite full-text index', () => {
  it('indexes a big import pass with a bigger term buffer, and still finds every message', async () => {
    await withStore(async (store) => {
      await store.write({ threads: [thread('t1')], messages: [message('t1', 'small', { text: 'tiny batch' })] });
      expect(indexHashSize()).toBeNull();
      const many = Array.from({ length: 1_500 }, (_, i) =>
        message('t1', `m${i}`, { text: `word${i} common`, sentAt: T0 + i * MINUTE }),
      );
      await store.write({ messages: many, deferSearchIndex: true });
      await store.write({});
      expect(indexHashSize()).toBe(BIG_INDEX_HASH_BYTES);
      expect(await ids(store, 'word1499')).toEqual(['m1499']);
      expect(await store.search({ text: 'common', limit: 2_000 })).toHaveLength(1_500);
      expect(await ids(store, 'tiny')).toEqual(['small']);
    });
  });

  it('says nothing of upgrades when it creates a file', async () => {
    const upgrades: number[] = [];
    const store = await openSqliteStore(file, { onUpgrade: (from) => upgrades.push(from) });
    await store.close();
    expect(upgrades).toEqual([]);
  });

  it('searches a store holding messages dated before 1970 with exact orders', async () => {
    await withStore(async (store) => {
      await store.write({
        threads: [thread('t1')],
        messages: [
          message('t1', 'old', { text: 'needle old', sentAt: -DAY }),
          message('t1', 'new', { text: 'needle new', sentAt: T0 }),
          message('t1', 'mid', { text: 'needle mid', sentAt: 0 }),
        ],
      });
      expect(counter('unordered_time_keys')).toBe(1);
      expect(await ids(store, 'needle', 'newest')).toEqual(['new', 'mid', 'old']);
      expect(await ids(store, 'needle', 'oldest')).toEqual(['old', 'mid', 'new']);
      expect((await store.search({ text: 'needle', since: -DAY / 2 })).map((hit) => hit.message.id).sort()).toEqual([
        'mid',
        'new',
      ]);
    });
  });

  it('indexes deferred batches once a chunk of rows waits, so a big import indexes as it goes', async () => {
    await withStore(async (store) => {
      const batch = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) =>
          message('t1', `m${from + i}`, { text: `word${from + i} common`, sentAt: T0 + (from + i) * MINUTE }),
        );
      await store.write({ threads: [thread('t1')], messages: batch(0, INDEX_CHUNK_ROWS - 1), deferSearchIndex: true });
      expect(counter('fts_indexed_through')).toBe(0);
      await store.write({ messages: batch(INDEX_CHUNK_ROWS - 1, 2), deferSearchIndex: true });
      expect(counter('fts_indexed_through')).toBe(INDEX_CHUNK_ROWS + 1);
      await store.write({ messages: batch(INDEX_CHUNK_ROWS + 1, 5), deferSearchIndex: true });
      expect(counter('fts_indexed_through')).toBe(INDEX_CHUNK_ROWS + 1);
      await store.write({});
      expect(counter('fts_indexed_through')).toBe(INDEX_CHUNK_ROWS + 6);
      expect(await ids(store, 'word0')).toEqual(['m0']);
      expect(await ids(store, `word${INDEX_CHUNK_ROWS + 5}`)).toEqual([`m${INDEX_CHUNK_ROWS + 5}`]);
      expect(await store.search({ text: 'common', limit: 200_000 })).toHaveLength(INDEX_CHUNK_ROWS + 6);
    });
  });

  it('leaves deferred batches to the next write, which indexes them with their latest text', async () => {
    await withStore(async (store) => {
      await writeDeferred(store);
      expect(counter('fts_indexed_through')).toBe(0);
      // A later batch of the same import changes a row that is not indexed yet.
      await store.write({
        messages: [message('t1', 'a', { text: 'final version' })],
        deferSearchIndex: true,
      });
      expect(counter('fts_indexed_through')).toBe(0);
      await store.write({});
      expect(counter('fts_indexed_through')).toBe(2);
      expect(await ids(store, 'draft')).toEqual([]);
      expect(await ids(store, 'final')).toEqual(['a']);
      expect(await ids(store, 'other')).toEqual(['b']);
    });
  });

  it('indexes what an interrupted import left unindexed before it searches', async () => {
    await withStore(async (store) => {
      await writeDeferred(store);
    });
    expect(counter('fts_indexed_through')).toBe(0);
    await withStore(async (store) => {
      expect(await ids(store, 'draft')).toEqual(['a']);
      expect(counter('fts_indexed_through')).toBe(2);
      // Indexed now, the rows' changes reach the index through the triggers.
      await store.write({ messages: [message('t1', 'a', { text: 'final version' })], deferSearchIndex: true });
      expect(await ids(store, 'draft')).toEqual([]);
      expect(await ids(store, 'final')).toEqual(['a']);
    });
  });

  it('searches a store it cannot write as it is', async () => {
    await withStore(async (store) => {
      await store.write({ threads: [thread('t1')], messages: [message('t1', 'a', { text: 'kept' })] });
      await store.write({ messages: [message('t1', 'b', { text: 'kept too' })], deferSearchIndex: true });
    });
    // Another process holds the write lock for longer than the store waits.
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const store = await openSqliteStore(file, { busyTimeoutMs: 50 });
      try {
        expect(await ids(store, 'kept')).toEqual(['a']);
      } finally {
        await store.close();
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('keeps the contentless index in step when text changes or rows go', async () => {
    await withStore(async (store) => {
      await store.write({
        threads: [thread('t1'), thread('t2')],
        messages: [
          message('t1', 'x', { text: 'hello there', sentAt: T0 }),
          message('t1', 'y', { text: null, kind: 'photo', sentAt: T0 + MINUTE }),
          message('t2', 'x', { text: 'hello twin', sentAt: T0 }),
          message('t2', 'z', { text: 'only in two', senderName: 'Quentin', sentAt: T0 + 2 * MINUTE }),
        ],
      });
      await store.write({
        messages: [
          message('t1', 'x', { text: 'goodbye there', sentAt: T0 }),
          message('t1', 'y', { text: 'a caption appears', kind: 'photo', sentAt: T0 + MINUTE }),
        ],
      });
      expect(await ids(store, 'hello')).toEqual(['x']);
      expect((await store.search({ text: 'hello' }))[0]!.threadId).toBe('t2');
      expect(await ids(store, 'goodbye')).toEqual(['x']);
      expect(await ids(store, 'caption')).toEqual(['y']);

      // t2 folds into t1: its copy of x is dropped (t1's wins), z moves, and its sender moves along.
      await store.write({ threadMerges: [{ from: 't2', into: 't1' }] });
      expect(await ids(store, 'hello')).toEqual([]);
      expect(await ids(store, 'twin')).toEqual([]);
      const moved = await store.search({ text: 'two', from: 'quentin' });
      expect(moved.map((hit) => [hit.threadId, hit.message.id])).toEqual([['t1', 'z']]);
    });
  });

  it('indexes messages stored after a merge dropped the newest rows (their row numbers come back)', async () => {
    await withStore(async (store) => {
      await store.write({
        threads: [thread('archive:z'), thread('api', { source: 'api' })],
        messages: [
          message('api', 'dup', { sentAt: T0, text: 'api copy' }),
          message('archive:z', 'dup', { sentAt: T0, text: 'archive copy' }),
        ],
      });
      await store.write({ threadMerges: [{ from: 'archive:z', into: 'api' }] });
      await store.write({ messages: [message('api', 'new1', { sentAt: T0 + MINUTE, text: 'zebrafish arrives' })] });
      expect(await ids(store, 'zebrafish')).toEqual(['new1']);
      await store.write({ messages: [message('api', 'new1', { sentAt: T0 + MINUTE, text: 'okapi now' })] });
      expect(await ids(store, 'okapi')).toEqual(['new1']);
      expect(await ids(store, 'zebrafish')).toEqual([]);
      expect(await ids(store, 'copy')).toEqual(['dup']);
    });
    const db = new Database(file);
    try {
      db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 0)").run();
    } finally {
      db.close();
    }
  });

  it('upgrades a version-1 file: keys every message and rebuilds the index', async () => {
    const db = new Database(file);
    db.exec(V1_INITIAL);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.prepare(
      `INSERT INTO threads (id, title, title_norm, is_group, is_request, participants, source)
       VALUES ('t1', 'Old thread', 'old thread', 0, 0, '[]', 'archive')`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO messages (tk, id, seq, sender_name, sender_norm, sent_at, kind, text, unsent, from_me, source)
       VALUES (1, ?, ?, 'Alice', 'alice', ?, 'text', ?, 0, 0, 'archive')`,
    );
    insert.run('m1', 1, T0 + DAY, 'kept words one');
    insert.run('m2', 2, T0, 'kept words two');
    insert.run('m3', 3, T0 + 2 * DAY, null);
    db.exec(
      'INSERT INTO messages_fts (rowid, text, share_text) SELECT pk, text, share_text FROM messages WHERE text IS NOT NULL',
    );
    db.close();

    const upgrades: Array<[number, number]> = [];
    const upgraded = await openSqliteStore(file, { onUpgrade: (from, to) => upgrades.push([from, to]) });
    await upgraded.close();
    expect(upgrades).toEqual([[1, SCHEMA_VERSION]]);
    const again = await openSqliteStore(file, { onUpgrade: (from, to) => upgrades.push([from, to]) });
    await again.close();
    expect(upgrades).toHaveLength(1);

    await withStore(async (store) => {
      expect(await ids(store, 'kept', 'newest')).toEqual(['m1', 'm2']);
      expect(await ids(store, 'kept', 'oldest')).toEqual(['m2', 'm1']);
      expect((await store.search({ text: 'two', from: 'alice' })).map((hit) => hit.message.id)).toEqual(['m2']);
      await store.write({ messages: [message('t1', 'm4', { text: 'kept words four', sentAt: T0 + 3 * DAY })] });
      expect(await ids(store, 'kept', 'newest')).toEqual(['m4', 'm1', 'm2']);
    });
    expect(counter('unordered_time_keys')).toBe(0);
    expect(counter('fts_indexed_through')).toBe(4);
  });
});
