// WriteBatch.threadMerges: folds thread `from` into thread `into` inside the batch's transaction.
// Messages keep their row (pk), so their FTS entries stay valid: only their thread key changes (the
// FTS triggers fire on text changes only), and the duplicates dropped go through the delete trigger.
import { StoreError } from '../../core/errors.js';
import type { ThreadMerge } from '../store.js';
import type { Connection } from './connection.js';
import { INDEXED_THROUGH } from './time-key.js';

const THREAD_KEY = 'SELECT tk FROM threads WHERE id = ?';

// A message whose id `into` already holds is the same message: `into`'s copy wins.
const DROP_DUPLICATES = `
DELETE FROM messages WHERE tk = @from AND id IN (SELECT id FROM messages WHERE tk = @into)`;

// Row numbers are max(pk) + 1, so dropping the newest rows hands their numbers out again: the
// "indexed through" mark comes down with max(pk), or the next rows would count as indexed already
// and never reach the search index.
const LOWER_INDEXED_MARK = `
UPDATE counters SET value = min(value, (SELECT coalesce(max(pk), 0) FROM messages))
WHERE name = '${INDEXED_THROUGH}'`;

const MOVE_MESSAGES = 'UPDATE messages SET tk = @into, seq = @seq WHERE tk = @from';

const RECOUNT = `
UPDATE threads SET
  message_count = (SELECT count(*) FROM messages WHERE tk = @into),
  last_message_at = (SELECT max(sent_at) FROM messages WHERE tk = @into)
WHERE tk = @into`;

const DROP_SYNC_STATE = 'DELETE FROM sync_state WHERE key = ?';
const MOVE_MAPPINGS = 'UPDATE bridge_mappings SET thread_id = @into WHERE thread_id = @from';
// One topic per (thread, chat): where `into` already has a topic in a chat, `from`'s is dropped.
const DROP_CLASHING_TOPICS = `
DELETE FROM topics WHERE thread_id = @from
  AND telegram_chat_id IN (SELECT telegram_chat_id FROM topics WHERE thread_id = @into)`;
const MOVE_TOPICS = 'UPDATE topics SET thread_id = @into WHERE thread_id = @from';
const MOVE_SENDERS = `
INSERT INTO thread_senders (tk, sender_norm, sender_id)
SELECT @into, sender_norm, sender_id FROM thread_senders WHERE tk = @from ON CONFLICT DO NOTHING`;
const DROP_SENDERS = 'DELETE FROM thread_senders WHERE tk = ?';
const DROP_THREAD = 'DELETE FROM threads WHERE tk = ?';

const READ_SEQ = "SELECT value FROM counters WHERE name = 'message_seq'";
const WRITE_SEQ = "UPDATE counters SET value = ? WHERE name = 'message_seq'";

function threadKey(conn: Connection, id: string): number | null {
  const row = conn.statement(THREAD_KEY).get(id) as { tk: number } | undefined;
  return row ? row.tk : null;
}

/** Must run inside the write transaction. */
export function mergeThreads(conn: Connection, merges: ThreadMerge[]): void {
  for (const { from, into } of merges) {
    if (from === into) continue;
    const fromTk = threadKey(conn, from);
    if (fromTk === null) continue;
    const intoTk = threadKey(conn, into);
    if (intoTk === null) throw new StoreError(`cannot merge thread ${from} into ${into}: ${into} is not stored`);
    const keys = { from: fromTk, into: intoTk };
    if (conn.statement(DROP_DUPLICATES).run(keys).changes > 0) conn.statement(LOWER_INDEXED_MARK).run();
    // All moved rows share one new seq: "stored at or after a mark" then includes them.
    const seq = (conn.statement(READ_SEQ).get() as { value: number }).value;
    if (conn.statement(MOVE_MESSAGES).run({ ...keys, seq }).changes > 0) conn.statement(WRITE_SEQ).run(seq + 1);
    conn.statement(RECOUNT).run({ into: intoTk });
    conn.statement(DROP_SYNC_STATE).run(from);
    const ids = { from, into };
    conn.statement(MOVE_MAPPINGS).run(ids);
    conn.statement(DROP_CLASHING_TOPICS).run(ids);
    conn.statement(MOVE_TOPICS).run(ids);
    conn.statement(MOVE_SENDERS).run(keys);
    conn.statement(DROP_SENDERS).run(fromTk);
    conn.statement(DROP_THREAD).run(fromTk);
  }
}
