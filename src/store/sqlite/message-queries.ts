// Reading messages: one message, a page of a thread, and the whole store as a bounded-memory stream.
import type { Message } from '../../core/model.js';
import type { MessageRange, MessageStreamOptions } from '../store.js';
import type { Connection } from './connection.js';
import { MESSAGE_COLUMNS, MESSAGE_FROM, type MessageRow, rowToMessage } from './message-rows.js';
import { guarded } from './errors.js';
import { openReader } from './open-database.js';

export function getMessage(conn: Connection, threadId: string, messageId: string): Message | null {
  const row = conn
    .statement(`SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE t.id = ? AND m.id = ?`)
    .get(threadId, messageId);
  return row ? rowToMessage(row as MessageRow) : null;
}

/** SQLite reads LIMIT -1 as "no limit". */
export function sqlLimit(limit: number | undefined): number {
  return limit === undefined || !Number.isFinite(limit) ? -1 : Math.max(0, Math.floor(limit));
}

export function listMessages(conn: Connection, threadId: string, range: MessageRange = {}): Message[] {
  const where = ['t.id = @threadId'];
  if (range.before !== undefined) where.push('m.sent_at < @before');
  if (range.since !== undefined) where.push('m.sent_at >= @since');
  // The first term keeps the range on the thread/time index; the second drops the cursor's ties from it.
  if (range.beforeMessage !== undefined)
    where.push('m.sent_at <= @cursorAt AND (m.sent_at < @cursorAt OR m.id < @cursorId)');
  const sql = `SELECT * FROM (
      SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE ${where.join(' AND ')} ORDER BY m.sent_at DESC, m.id DESC LIMIT @limit
    ) ORDER BY sent_at, id`;
  const rows = conn.statement(sql).all({
    threadId,
    before: range.before,
    since: range.since,
    cursorAt: range.beforeMessage?.sentAt,
    cursorId: range.beforeMessage?.id,
    limit: sqlLimit(range.limit),
  });
  return (rows as MessageRow[]).map(rowToMessage);
}

export function storeSeq(conn: Connection): number {
  return (conn.statement("SELECT value FROM counters WHERE name = 'message_seq'").get() as { value: number }).value;
}

function streamSql(options: MessageStreamOptions): string {
  const where: string[] = [];
  if (options.threadIds) where.push('t.id IN (SELECT value FROM json_each(@threadIds))');
  if (options.since !== undefined) where.push('m.sent_at >= @since');
  if (options.until !== undefined) where.push('m.sent_at < @until');
  if (options.storedAfterSeq !== undefined) where.push('m.seq >= @storedAfterSeq');
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  // Without statistics the planner walks the whole thread/time index to skip the sort; what was
  // stored after a mark is usually a small tail, cheaper to find by seq and sort (on disk if big).
  const index = options.storedAfterSeq !== undefined && !options.threadIds ? 'INDEXED BY messages_seq' : '';
  // Ties on sent_at within a thread are put in id order as rows are read: the thread/time index then
  // gives the order as is, without a sort step per row.
  return `SELECT ${MESSAGE_COLUMNS} FROM messages m ${index} JOIN threads t ON t.tk = m.tk ${filter} ORDER BY t.id, m.sent_at`;
}

function byId(a: MessageRow, b: MessageRow): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Rows of one thread sent in the same millisecond, in id order. */
function sortedTies(ties: MessageRow[]): MessageRow[] {
  return ties.length > 1 ? ties.sort(byId) : ties;
}

/**
 * Iterates on its own read-only connection: better-sqlite3 forbids other statements on a
 * connection while it iterates, and callers may well read or write the store inside the loop.
 */
export async function* streamMessages(conn: Connection, options: MessageStreamOptions = {}): AsyncGenerator<Message> {
  const reader = guarded(conn.file, () => openReader(conn.file, conn.busyTimeoutMs));
  let rows: IterableIterator<unknown> | null = null;
  try {
    const params = {
      threadIds: options.threadIds ? JSON.stringify(options.threadIds) : undefined,
      since: options.since,
      until: options.until,
      storedAfterSeq: options.storedAfterSeq,
    };
    const iterator = guarded(conn.file, () => reader.prepare(streamSql(options)).iterate(params));
    rows = iterator;
    let ties: MessageRow[] = [];
    while (true) {
      const next = guarded(conn.file, () => iterator.next());
      if (next.done) break;
      const row = next.value as MessageRow;
      const first = ties[0];
      if (first && (first.sent_at !== row.sent_at || first.thread_id !== row.thread_id)) {
        for (const tie of sortedTies(ties)) yield rowToMessage(tie);
        ties = [];
      }
      ties.push(row);
    }
    for (const tie of sortedTies(ties)) yield rowToMessage(tie);
  } finally {
    rows?.return?.();
    reader.close();
  }
}
