// Reading threads and users.
import type { Thread, ThreadSummary, User } from '../../core/model.js';
import type { StoreCounts } from '../store.js';
import { normalizeForSearch } from '../search-query.js';
import type { Connection } from './connection.js';
import { sqlLimit } from './message-queries.js';
import {
  THREAD_ACTIVITY,
  THREAD_COLUMNS,
  type ThreadRow,
  type UserRow,
  rowToSummary,
  rowToThread,
  rowToUser,
} from './thread-rows.js';

export function getThread(conn: Connection, id: string): Thread | null {
  const row = conn.statement(`SELECT ${THREAD_COLUMNS} FROM threads t WHERE t.id = ?`).get(id);
  return row ? rowToThread(row as ThreadRow) : null;
}

export function findThreads(conn: Connection, idOrTitle: string): Thread[] {
  const exact = getThread(conn, idOrTitle);
  if (exact) return [exact];
  const needle = normalizeForSearch(idOrTitle.trim());
  if (!needle) return [];
  const rows = conn
    .statement(
      `SELECT ${THREAD_COLUMNS} FROM threads t WHERE instr(t.title_norm, ?) > 0 ORDER BY ${THREAD_ACTIVITY} DESC, t.id`,
    )
    .all(needle);
  return (rows as ThreadRow[]).map(rowToThread);
}

export function listThreads(conn: Connection, limit?: number): ThreadSummary[] {
  const rows = conn
    .statement(`SELECT ${THREAD_COLUMNS} FROM threads t ORDER BY ${THREAD_ACTIVITY} DESC, t.id LIMIT ?`)
    .all(sqlLimit(limit));
  return (rows as ThreadRow[]).map(rowToSummary);
}

export function counts(conn: Connection): StoreCounts {
  // Per-thread counters are kept in the write transaction, so no scan of the messages table is needed.
  const row = conn
    .statement(
      'SELECT (SELECT count(*) FROM threads) AS threads, (SELECT coalesce(sum(message_count), 0) FROM threads) AS messages, (SELECT count(*) FROM users) AS users',
    )
    .get() as StoreCounts;
  return { threads: row.threads, messages: row.messages, users: row.users };
}

export function listUsers(conn: Connection): User[] {
  const rows = conn.statement('SELECT id, username, full_name, profile_pic_url FROM users ORDER BY id').all();
  return (rows as UserRow[]).map(rowToUser);
}
