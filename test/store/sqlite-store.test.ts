// What the contract cannot see: the SQLite file itself (modes, pragmas, schema version, indexes).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/sqlite/schema/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { message, series, thread } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'igtg-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('SQLite store file', () => {
  it('creates its folder 0700 and its files 0600', async () => {
    const file = join(dir, 'profiles', 'default', 'igtg.db');
    const store = await openSqliteStore(file);
    try {
      await store.write({ threads: [thread('t1')], messages: [message('t1', 'm1')] });
      expect(mode(join(dir, 'profiles', 'default'))).toBe(0o700);
      expect(mode(join(dir, 'profiles'))).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path)).toBe(true);
        expect(mode(path)).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it('uses WAL, foreign keys and a versioned schema, and reopens without migrating again', async () => {
    const file = join(dir, 'igtg.db');
    const store = await openSqliteStore(file);
    await store.write({ threads: [thread('t1')], messages: series('t1', 3) });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    } finally {
      db.close();
    }
    const again = await openSqliteStore(file);
    try {
      expect((await again.counts()).messages).toBe(3);
    } finally {
      await again.close();
    }
  });

  it("waits for another process's write lock before enqueueing, as every write does", async () => {
    const file = join(dir, 'igtg.db');
    const store = await openSqliteStore(file, { busyTimeoutMs: 10_000 });
    try {
      await store.enqueue({ direction: 'to_telegram', dedupeKey: 'first', lane: 'a', payload: null }, 1);
      // Another process takes the write lock and keeps it for half a second.
      const holder = execa(
        process.execPath,
        [
          '-e',
          `const db = new (require(process.argv[1]))(process.argv[2]);
           db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
           db.exec('COMMIT'); db.close();`,
          createRequire(import.meta.url).resolve('better-sqlite3'),
          file,
        ],
        { reject: false },
      );
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const entry = await store.enqueue({ direction: 'to_telegram', dedupeKey: 'second', lane: 'a', payload: null }, 2);
      expect(entry.dedupeKey).toBe('second');
      expect((await holder).exitCode).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('refuses a store written by a newer igtg', async () => {
    const file = join(dir, 'igtg.db');
    (await openSqliteStore(file)).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openSqliteStore(file)).rejects.toThrow(/written by a newer igtg/);
  });

  it('names the message and thread when a message refers to an unknown thread', async () => {
    const store = await openSqliteStore(join(dir, 'igtg.db'));
    try {
      const failure = store.write({ messages: [message('ghost', 'm1')] });
      await expect(failure).rejects.toBeInstanceOf(StoreError);
      await expect(failure).rejects.toThrow('cannot store message m1: its thread ghost is not stored');
    } finally {
      await store.close();
    }
  });

  it('keeps the full-text index in step with new, changed and repeated messages', async () => {
    const file = join(dir, 'igtg.db');
    const store = await openSqliteStore(file);
    await store.write({
      threads: [thread('t1')],
      messages: [message('t1', 'a', { text: 'first' }), message('t1', 'a', { text: 'second' })],
    });
    await store.write({
      threads: [thread('t1')],
      messages: [message('t1', 'a', { text: null }), message('t1', 'b', { text: 'third' })],
    });
    await store.write({ threads: [thread('t1')], messages: [message('t1', 'b', { text: 'fourth' })] });
    expect(await store.search({ text: 'first OR second OR third' })).toEqual([]);
    expect((await store.search({ text: 'fourth' })).map((hit) => hit.message.id)).toEqual(['b']);
    await store.close();
    const db = new Database(file);
    try {
      expect(() =>
        db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(),
      ).not.toThrow();
    } finally {
      db.close();
    }
  });

  it('answers its queries from indexes', async () => {
    const file = join(dir, 'igtg.db');
    (await openSqliteStore(file)).close();
    const db = new Database(file, { readonly: true });
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');
    try {
      expect(
        plan(
          "SELECT * FROM messages m JOIN threads t ON t.tk = m.tk WHERE t.id = 'x' AND m.sent_at < 5 ORDER BY m.sent_at DESC LIMIT 5",
        ),
      ).toMatch(/USING INDEX messages_thread_time/);
      expect(plan("SELECT * FROM messages m JOIN threads t ON t.tk = m.tk WHERE t.id = 'x' AND m.id = 'y'")).toMatch(
        /USING INDEX messages_natural/,
      );
      expect(plan('SELECT * FROM messages m INDEXED BY messages_seq WHERE m.seq >= 5')).toMatch(/messages_seq/);
      expect(
        plan(
          'SELECT * FROM threads t ORDER BY max(coalesce(t.last_activity_at, 0), coalesce(t.last_message_at, 0)) DESC, t.id',
        ),
      ).toMatch(/USING INDEX threads_activity/);
      expect(
        plan("SELECT min(id) FROM outbox WHERE direction = 'a' AND done = 0 AND dead_lettered = 0 GROUP BY lane"),
      ).toMatch(/outbox_lanes/);
      expect(plan("SELECT * FROM bridge_mappings WHERE thread_id = 'a' AND item_id = 'b'")).toMatch(
        /bridge_mappings_item/,
      );
      expect(plan("SELECT * FROM topics WHERE telegram_chat_id = 'a' AND topic_id = 1")).toMatch(/topics_by_id/);
      expect(plan('SELECT * FROM audit ORDER BY at DESC, id DESC LIMIT 3')).toMatch(/audit_at/);
    } finally {
      db.close();
    }
  });
});
