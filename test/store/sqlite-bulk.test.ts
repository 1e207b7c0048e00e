// Store.beginBulk on SQLite: every write joins one transaction until it is committed or rolled back,
// with the writer thread and without; other connections see nothing of it before the commit.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { bulkStep } from '../../src/store/sqlite/bulk.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { writeBatch } from '../../src/store/sqlite/write-batch.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { message, thread } from './fixtures.js';

const { fresh } = tempFolder('igtg-bulk-');
const tempFile = (): string => fresh('igtg.db');

describe.each([
  ['with the writer thread', true],
  ['on the caller connection', false],
])('SQLite bulk transaction %s', (_name, writerThread) => {
  it('shows nothing to another connection until the commit, then everything', async () => {
    const file = tempFile();
    const store = await openSqliteStore(file, { writerThread });
    const other = await openSqliteStore(file);
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')], deferSearchIndex: true });
    await store.write({ messages: [message('t1', 'm2', { text: 'second write' })] });
    expect((await other.counts()).messages).toBe(0);
    await bulk.commit();
    expect((await other.counts()).messages).toBe(2);
    expect((await other.search({ text: 'second', sort: 'newest', limit: 5 })).length).toBe(1);
    await other.close();
    await store.close();
  });

  it('undoes every write on rollback, a failed write included, and the store goes on', async () => {
    const store = await openSqliteStore(tempFile(), { writerThread });
    const bulk = await store.beginBulk!();
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    await expect(store.write({ messages: [message('nowhere', 'm2')] })).rejects.toBeInstanceOf(StoreError);
    await bulk.rollback();
    expect(await store.counts()).toMatchObject({ threads: 0, messages: 0 });
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
    expect((await store.counts()).messages).toBe(1);
    await store.close();
  });
});

describe('SQLite bulk transaction rolled back by SQLite itself', () => {
  it('refuses the writes still coming for it instead of committing each on its own', async () => {
    const file = tempFile();
    const conn = new Connection(openDatabase(file), file, 5000);
    bulkStep(conn, 'begin');
    writeBatch(conn, { threads: [thread('t1')], messages: [message('t1', 'm1')] });
    // What SQLite does on some failures (a full disk): the whole transaction is gone.
    conn.db.exec('ROLLBACK');
    expect(() => writeBatch(conn, { threads: [thread('t2')], messages: [message('t2', 'm2')] })).toThrow(
      /the import was undone by an earlier failed write/,
    );
    expect(() => bulkStep(conn, 'commit')).toThrow();
    writeBatch(conn, { threads: [thread('t3')] });
    conn.db.close();
    const store = await openSqliteStore(file);
    expect(await store.counts()).toMatchObject({ threads: 1, messages: 0 });
    await store.close();
  });
});
