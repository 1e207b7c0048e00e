// write(batch): every part of a batch in one IMMEDIATE transaction, upserts keyed on natural ids.
import { StoreError } from '../../core/errors.js';
import type { WriteBatch, WriteResult } from '../store.js';
import Database, { type Statement } from 'better-sqlite3';
import { checkBulkIntact } from './bulk.js';
import type { Connection } from './connection.js';
import { type MessageParams, messageParams } from './message-rows.js';
import { RowReader, packedRowsOf } from './row-codec.js';
import { mergeThreads } from './thread-merge.js';
import { INDEXED_THROUGH, UNORDERED_KEYS, timeKey } from './time-key.js';
import { syncStateParams, threadParams, userParams } from './thread-rows.js';

const UPSERT_USER = `
INSERT INTO users (id, username, full_name, profile_pic_url, username_norm, full_name_norm)
VALUES (@id, @username, @fullName, @profilePicUrl, @usernameNorm, @fullNameNorm)
ON CONFLICT (id) DO UPDATE SET
  username = coalesce(excluded.username, username),
  full_name = coalesce(excluded.full_name, full_name),
  profile_pic_url = coalesce(excluded.profile_pic_url, profile_pic_url),
  username_norm = coalesce(excluded.username_norm, username_norm),
  full_name_norm = coalesce(excluded.full_name_norm, full_name_norm)`;

const UPSERT_THREAD = `
INSERT INTO threads (id, title, title_norm, is_group, is_request, participants, last_activity_at, source, archive_folder)
VALUES (@id, @title, @titleNorm, @isGroup, @isRequest, @participants, @lastActivityAt, @source, @archiveFolder)
ON CONFLICT (id) DO UPDATE SET
  title = excluded.title,
  title_norm = excluded.title_norm,
  is_group = excluded.is_group,
  is_request = excluded.is_request,
  participants = excluded.participants,
  last_activity_at = CASE
    WHEN excluded.last_activity_at IS NULL THEN last_activity_at
    WHEN last_activity_at IS NULL THEN excluded.last_activity_at
    ELSE max(last_activity_at, excluded.last_activity_at) END,
  source = excluded.source,
  archive_folder = coalesce(excluded.archive_folder, archive_folder)`;

// Positional parameters: binding by name costs a property lookup per column, measurable on imports.
// The pk is given, not taken from SQLite, because the time key is made of it (time-key.ts).
const INSERT_MESSAGE = `
INSERT INTO messages (pk, time_key, tk, id, seq, sender_id, sender_name, sender_norm, sent_at, kind, text, share_text,
  media, share, reply_to, reactions, unsent, from_me, source, client_context, raw)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (tk, id) DO NOTHING`;

/** Inserts the row unless its message is stored; true when it was inserted. */
function insertRow(insert: Statement, p: MessageParams, pk: number, key: number): boolean {
  // Arguments rather than one array: no garbage per row.
  const inserted = insert.run(
    pk,
    key,
    p.tk,
    p.id,
    p.seq,
    p.senderId,
    p.senderName,
    p.senderNorm,
    p.sentAt,
    p.kind,
    p.text,
    p.shareText,
    p.media,
    p.share,
    p.replyTo,
    p.reactions,
    p.unsent,
    p.fromMe,
    p.source,
    p.clientContext,
    p.raw,
  );
  return inserted.changes === 1;
}

// Only a real change rewrites the row (and moves its seq), so re-importing the same data is a no-op.
// sent_at is the message's identity in time and never changes; raw/client_context/sender_id are kept
// when the newer copy lacks them.
const UPDATE_MESSAGE = `
UPDATE messages SET
  seq = @seq, sender_id = coalesce(@senderId, sender_id), sender_name = @senderName, sender_norm = @senderNorm,
  kind = @kind, text = @text, share_text = @shareText, media = @media, share = @share, reply_to = @replyTo,
  reactions = @reactions, unsent = @unsent, from_me = @fromMe, source = @source,
  client_context = coalesce(@clientContext, client_context), raw = coalesce(@raw, raw)
WHERE tk = @tk AND id = @id AND (
  sender_name IS NOT @senderName OR kind IS NOT @kind OR text IS NOT @text OR share_text IS NOT @shareText
  OR media IS NOT @media OR share IS NOT @share OR reply_to IS NOT @replyTo OR reactions IS NOT @reactions
  OR unsent IS NOT @unsent OR from_me IS NOT @fromMe OR (@senderId IS NOT NULL AND sender_id IS NOT @senderId))`;

const BUMP_THREAD = `
UPDATE threads SET
  message_count = message_count + @added,
  last_message_at = CASE WHEN last_message_at IS NULL OR @newest > last_message_at THEN @newest ELSE last_message_at END
WHERE tk = @tk`;

const UPSERT_SYNC_STATE = `
INSERT INTO sync_state (key, older_cursor, newest_item_id, newest_item_at, complete, updated_at)
VALUES (@key, @olderCursor, @newestItemId, @newestItemAt, @complete, @updatedAt)
ON CONFLICT (key) DO UPDATE SET
  older_cursor = excluded.older_cursor, newest_item_id = excluded.newest_item_id,
  newest_item_at = excluded.newest_item_at, complete = excluded.complete, updated_at = excluded.updated_at`;

export const UPSERT_META =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

const READ_SEQ = "SELECT value FROM counters WHERE name = 'message_seq'";
const WRITE_SEQ = "UPDATE counters SET value = ? WHERE name = 'message_seq'";

const THREAD_KEY = 'SELECT tk FROM threads WHERE id = ?';

/** Thread keys by thread id, looked up once per batch. */
class ThreadKeys {
  private readonly keys = new Map<string, number>();

  constructor(private readonly conn: Connection) {}

  private lastId = '';
  private lastKey: number | null = null;

  of(params: MessageParams): number {
    if (params.threadId !== this.lastId) {
      this.lastId = params.threadId;
      this.lastKey = this.ofThread(params.threadId);
    }
    const key = this.lastKey;
    if (key === null)
      throw new StoreError(`cannot store message ${params.id}: its thread ${params.threadId} is not stored`);
    return key;
  }

  ofThread(threadId: string): number | null {
    let key = this.keys.get(threadId);
    if (key === undefined) {
      const row = this.conn.statement(THREAD_KEY).get(threadId) as { tk: number } | undefined;
      if (!row) return null;
      key = row.tk;
      this.keys.set(threadId, key);
    }
    return key;
  }
}

const LAST_PK = 'SELECT coalesce(max(pk), 0) AS pk FROM messages';

// Rows are indexed in key order: FTS5 starts a new segment whenever a rowid goes backwards, and
// the segments of many small unordered passes cost several times more to merge than one sorted pass.
const INDEX_NEW_ROWS = `
INSERT INTO messages_fts (rowid, text, share_text)
SELECT time_key, text, share_text FROM messages WHERE pk > ? AND (text IS NOT NULL OR share_text IS NOT NULL)
ORDER BY time_key`;
const READ_INDEXED = `SELECT value FROM counters WHERE name = '${INDEXED_THROUGH}'`;
const WRITE_INDEXED = `UPDATE counters SET value = ? WHERE name = '${INDEXED_THROUGH}'`;
const COUNT_UNORDERED = `UPDATE counters SET value = value + ? WHERE name = '${UNORDERED_KEYS}'`;

// A connection writing big batches (an import) checkpoints the WAL every 64 MB rather than every
// 4 MB: each checkpoint syncs the files, and at the default they took a third of an import's writes.
const BIG_BATCH = 1_000;
const BIG_WRITER_CHECKPOINT_PAGES = 16_384;
const bigWriters = new WeakSet<Connection>();

/** A batch's rows, read once in order; a read may overwrite the row the one before returned. */
export interface RowSource {
  readonly count: number;
  next(): MessageParams;
}

export function rowsOf(rows: MessageParams[]): RowSource {
  let i = 0;
  return { count: rows.length, next: () => rows[i++]! };
}

// A batch that defers the search index still indexes the rows waiting for it once they are this
// many: a big import's writer then indexes while the importer parses the next files instead of
// alone at the end (~1.5 s less per million messages; the importer keeps writes in flight
// meanwhile, batch-writer.ts). Each chunk is one sorted pass, a few FTS5 segments.
export const INDEX_CHUNK_ROWS = 100_000;

// Inserts first, then indexes every row not yet indexed in one statement (unless the batch defers
// it and they are fewer than a chunk), then applies changes to known messages (whose FTS entries
// the update trigger maintains).
function writeMessages(conn: Connection, rows: RowSource, deferIndex: boolean, result: WriteResult): void {
  if (rows.count >= BIG_BATCH && !bigWriters.has(conn)) {
    conn.db.pragma(`wal_autocheckpoint = ${BIG_WRITER_CHECKPOINT_PAGES}`);
    bigWriters.add(conn);
  }
  let seq = (conn.statement(READ_SEQ).get() as { value: number }).value;
  let pk = (conn.statement(LAST_PK).get() as { pk: number }).pk;
  const keys = new ThreadKeys(conn);
  const insert = conn.statement(INSERT_MESSAGE);
  const touched = new Map<number, { added: number; newest: number }>();
  const known: MessageParams[] = [];
  const senders = new ThreadSenders();
  let unordered = 0;
  for (let i = 0; i < rows.count; i += 1) {
    const params = rows.next();
    params.seq = seq;
    params.tk = keys.of(params);
    senders.note(params);
    const key = timeKey(params.sentAt, pk + 1);
    if (!insertRow(insert, params, pk + 1, key)) {
      known.push({ ...params });
      continue;
    }
    pk += 1;
    if (key < 0) unordered += 1;
    seq += 1;
    result.messagesAdded += 1;
    result.addedMessageIds.push(params.id);
    const stats = touched.get(params.tk) ?? { added: 0, newest: params.sentAt };
    stats.added += 1;
    stats.newest = Math.max(stats.newest, params.sentAt);
    touched.set(params.tk, stats);
  }
  if (unordered > 0) conn.statement(COUNT_UNORDERED).run(unordered);
  senders.write(conn);
  if (!deferIndex || pk - indexedThrough(conn) >= INDEX_CHUNK_ROWS) indexNewRows(conn, pk);
  const update = conn.statement(UPDATE_MESSAGE);
  for (const params of known) {
    if (update.run({ ...params, seq }).changes === 1) seq += 1;
  }
  conn.statement(WRITE_SEQ).run(seq);
  const bump = conn.statement(BUMP_THREAD);
  for (const [tk, stats] of touched) bump.run({ tk, ...stats });
}

const NOTE_SENDER = 'INSERT INTO thread_senders (tk, sender_norm, sender_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';

/** Who wrote in which thread (thread_senders, for `search --from`), noted row by row. */
class ThreadSenders {
  // thread key → sender norm → sender ids ('' for none)
  private readonly seen = new Map<number, Map<string, Set<string>>>();

  note(row: MessageParams): void {
    let norms = this.seen.get(row.tk);
    if (!norms) this.seen.set(row.tk, (norms = new Map()));
    let ids = norms.get(row.senderNorm);
    if (!ids) norms.set(row.senderNorm, (ids = new Set()));
    ids.add(row.senderId ?? '');
  }

  write(conn: Connection): void {
    const note = conn.statement(NOTE_SENDER);
    for (const [tk, norms] of this.seen) {
      for (const [norm, ids] of norms) {
        for (const id of ids) note.run(tk, norm, id);
      }
    }
  }
}

// FTS5 flushes its in-memory terms to a new segment each time they pass 'hashsize' (1 MB by default);
// at 16 MB a million-message index pass writes fewer, bigger segments and takes 10-25% less time.
// The setting is stored in the index (messages_fts_config), so it is written once per connection.
// It must be an integer literal: a bound JS number arrives as a REAL, which FTS5 rejects.
export const BIG_INDEX_HASH_BYTES = 16 * 1024 * 1024;
const SET_BIG_INDEX_HASH = `INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', ${BIG_INDEX_HASH_BYTES})`;
const bigIndexers = new WeakSet<Connection>();

function indexedThrough(conn: Connection): number {
  return (conn.statement(READ_INDEXED).get() as { value: number }).value;
}

/** Indexes the rows above the INDEXED_THROUGH mark, up to `lastPk`. */
function indexNewRows(conn: Connection, lastPk: number): void {
  const indexed = indexedThrough(conn);
  if (lastPk <= indexed) return;
  if (lastPk - indexed >= BIG_BATCH && !bigIndexers.has(conn)) {
    conn.db.exec(SET_BIG_INDEX_HASH);
    bigIndexers.add(conn);
  }
  conn.statement(INDEX_NEW_ROWS).run(indexed);
  conn.statement(WRITE_INDEXED).run(lastPk);
}

/**
 * Indexes rows that batches deferring the index left behind (an import interrupted before its last
 * batch, or still running in another process), so a search sees every stored message. Cheap when
 * there are none. A store that cannot be written (read-only file, another writer holding the lock)
 * is searched as it is.
 */
export function indexLeftovers(conn: Connection): void {
  const indexed = indexedThrough(conn);
  const lastPk = (conn.statement(LAST_PK).get() as { pk: number }).pk;
  if (lastPk <= indexed) return;
  try {
    conn.db.transaction(() => indexNewRows(conn, lastPk)).immediate();
  } catch (error) {
    if (!(error instanceof Database.SqliteError) || !/^SQLITE_(BUSY|LOCKED|READONLY)/.test(error.code)) throw error;
  }
}

export function writeBatch(conn: Connection, batch: WriteBatch): WriteResult {
  if (batch.packed !== undefined) {
    const packed = packedRowsOf(batch);
    return writeRows(conn, batch, packed ? new RowReader(packed) : rowsOf([]));
  }
  return writeRows(conn, batch, rowsOf(batch.messages?.map((message) => messageParams(message)) ?? []));
}

/** writeBatch with the batch's messages already made rows (`messages` and `packed` are not read). */
export function writeRows(conn: Connection, batch: WriteBatch, rows: RowSource): WriteResult {
  checkBulkIntact(conn);
  const result: WriteResult = { messagesAdded: 0, addedMessageIds: [] };
  const run = conn.db.transaction(() => {
    if (batch.users?.length) {
      const upsert = conn.statement(UPSERT_USER);
      for (const user of batch.users) upsert.run(userParams(user));
    }
    if (batch.threads?.length) {
      const upsert = conn.statement(UPSERT_THREAD);
      for (const thread of batch.threads) upsert.run(threadParams(thread));
    }
    if (batch.threadMerges?.length) mergeThreads(conn, batch.threadMerges);
    if (rows.count > 0) writeMessages(conn, rows, batch.deferSearchIndex === true, result);
    else if (!batch.deferSearchIndex) indexNewRows(conn, (conn.statement(LAST_PK).get() as { pk: number }).pk);
    if (batch.syncStates?.length) {
      const upsert = conn.statement(UPSERT_SYNC_STATE);
      for (const state of batch.syncStates) upsert.run(syncStateParams(state));
    }
    if (batch.meta) {
      const upsert = conn.statement(UPSERT_META);
      for (const [key, value] of Object.entries(batch.meta)) upsert.run(key, value);
    }
  });
  run.immediate();
  return result;
}
