// A store opened for a direct load (an import into an empty store, direct-load.ts): written without
// the WAL while nothing else has it open, back in WAL once closed; any other case takes the WAL.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { message, thread } from './fixtures.js';

const { fresh } = tempFolder('igtg-direct-load-');

/** The journal mode the file's header records, read without changing it. */
function journalMode(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('journal_mode', { simple: true }) as string;
  } finally {
    db.close();
  }
}

const load = { writerThread: true, directLoad: true } as const;

describe('a direct load into the SQLite store', () => {
  it('writes an empty store without the WAL, commits, and leaves it in WAL mode', async () => {
    const file = fresh('igtg.db');
    const store = await openSqliteStore(file, load);
    expect(journalMode(file)).toBe('delete');
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1', { text: 'loaded pancakes' })] });
    await bulk.commit();
    await store.close();

    expect(journalMode(file)).toBe('wal');
    expect(existsSync(`${file}-journal`)).toBe(false);
    const again = await openSqliteStore(file);
    expect((await again.counts()).messages).toBe(1);
    expect(await again.search({ text: 'pancakes', sort: 'newest', limit: 5 })).toHaveLength(1);
    await again.close();
  });

  it('leaves an empty store as it was when rolled back', async () => {
    const file = fresh('igtg.db');
    const store = await openSqliteStore(file, load);
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await bulk.rollback();
    await store.close();
    expect(journalMode(file)).toBe('wal');
    const again = await openSqliteStore(file);
    expect(await again.counts()).toMatchObject({ threads: 0, messages: 0 });
    await again.close();
  });

  it('makes another process wait while it writes, and tells it the store is locked', async () => {
    const file = fresh('igtg.db');
    const store = await openSqliteStore(file, load);
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await expect(openSqliteStore(file, { busyTimeoutMs: 50 })).rejects.toThrow(/is locked by another igtg process/);
    await bulk.commit();
    await store.close();
  });

  it('goes through the WAL into a store that holds messages', async () => {
    const file = fresh('igtg.db');
    const first = await openSqliteStore(file);
    await first.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await first.close();

    const store = await openSqliteStore(file, load);
    expect(journalMode(file)).toBe('wal');
    const bulk = await store.beginBulk!();
    await store.write({ messages: [message('t1', 'm2')] });
    // Readers go on reading what is committed.
    const reader = await openSqliteStore(file);
    expect((await reader.counts()).messages).toBe(1);
    await reader.close();
    await bulk.commit();
    await store.close();
  });

  it('goes through the WAL when another connection has the empty store open', async () => {
    const file = fresh('igtg.db');
    const other = await openSqliteStore(file);
    const store = await openSqliteStore(file, load);
    expect(journalMode(file)).toBe('wal');
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await bulk.commit();
    await store.close();
    expect((await other.counts()).messages).toBe(1);
    await other.close();
  });
});
