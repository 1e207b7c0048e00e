// Version 1: the whole data model. Later versions add migrations beside this file; never edit it.
export const V1_INITIAL = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('message_seq', 1);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT,
  full_name TEXT,
  profile_pic_url TEXT,
  username_norm TEXT,
  full_name_norm TEXT
) WITHOUT ROWID;

-- tk, a small integer, stands for the (39-digit) thread id in the message indexes: several times
-- smaller keys, measurably faster imports.
CREATE TABLE threads (
  tk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  title_norm TEXT NOT NULL,
  is_group INTEGER NOT NULL,
  is_request INTEGER NOT NULL,
  participants TEXT NOT NULL,
  last_activity_at INTEGER,
  source TEXT NOT NULL,
  archive_folder TEXT,
  message_count INTEGER NOT NULL DEFAULT 0,
  last_message_at INTEGER
);
CREATE INDEX threads_activity ON threads (max(coalesce(last_activity_at, 0), coalesce(last_message_at, 0)) DESC, id);

CREATE TABLE messages (
  pk INTEGER PRIMARY KEY,
  tk INTEGER NOT NULL REFERENCES threads (tk),
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sender_id TEXT,
  sender_name TEXT NOT NULL,
  sender_norm TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT,
  share_text TEXT,
  media TEXT,
  share TEXT,
  reply_to TEXT,
  reactions TEXT,
  unsent INTEGER NOT NULL,
  from_me INTEGER NOT NULL,
  source TEXT NOT NULL,
  client_context TEXT,
  raw TEXT
);
CREATE UNIQUE INDEX messages_natural ON messages (tk, id);
CREATE INDEX messages_thread_time ON messages (tk, sent_at, id);
CREATE INDEX messages_seq ON messages (seq);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
  text,
  share_text,
  content = 'messages',
  content_rowid = 'pk',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- New rows are indexed by one INSERT ... SELECT at the end of each write (write-batch.ts): several
-- times faster than a per-row trigger. Changes to stored rows are kept in step by these triggers.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.text IS NOT NULL OR old.share_text IS NOT NULL
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text, share_text) VALUES ('delete', old.pk, old.text, old.share_text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, share_text ON messages
WHEN old.text IS NOT new.text OR old.share_text IS NOT new.share_text
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text, share_text)
    SELECT 'delete', old.pk, old.text, old.share_text WHERE old.text IS NOT NULL OR old.share_text IS NOT NULL;
  INSERT INTO messages_fts (rowid, text, share_text)
    SELECT new.pk, new.text, new.share_text WHERE new.text IS NOT NULL OR new.share_text IS NOT NULL;
END;

CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  older_cursor TEXT,
  newest_item_id TEXT,
  newest_item_at INTEGER,
  complete INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  direction TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  lane TEXT NOT NULL,
  payload TEXT NOT NULL,
  client_context TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  lease_until INTEGER
);
CREATE INDEX outbox_lanes ON outbox (direction, lane, id) WHERE done = 0 AND dead_lettered = 0;
CREATE INDEX outbox_dead ON outbox (id) WHERE dead_lettered = 1;

CREATE TABLE bridge_mappings (
  telegram_chat_id TEXT NOT NULL,
  telegram_message_id INTEGER NOT NULL,
  thread_id TEXT NOT NULL,
  item_id TEXT,
  direction TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (telegram_chat_id, telegram_message_id)
) WITHOUT ROWID;
CREATE INDEX bridge_mappings_item ON bridge_mappings (thread_id, item_id);

CREATE TABLE topics (
  thread_id TEXT NOT NULL,
  telegram_chat_id TEXT NOT NULL,
  topic_id INTEGER NOT NULL,
  PRIMARY KEY (thread_id, telegram_chat_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX topics_by_id ON topics (telegram_chat_id, topic_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX audit_at ON audit (at, id);
`;
