// Bridge mappings (Telegram message <-> Instagram item) and forum topics (Telegram topic <-> thread).
import type { BridgeMapping, TopicMapping } from '../store.js';
import type { Connection } from './connection.js';

interface MappingRow {
  telegram_chat_id: string;
  telegram_message_id: number;
  thread_id: string;
  item_id: string | null;
  direction: BridgeMapping['direction'];
  created_at: number;
}

const MAPPING_COLUMNS = 'telegram_chat_id, telegram_message_id, thread_id, item_id, direction, created_at';

function rowToMapping(row: MappingRow): BridgeMapping {
  return {
    telegramChatId: row.telegram_chat_id,
    telegramMessageId: row.telegram_message_id,
    threadId: row.thread_id,
    itemId: row.item_id,
    direction: row.direction,
    createdAt: row.created_at,
  };
}

export function putMapping(conn: Connection, mapping: BridgeMapping): void {
  conn
    .statement(
      `INSERT INTO bridge_mappings (${MAPPING_COLUMNS}) VALUES (@telegramChatId, @telegramMessageId, @threadId, @itemId, @direction, @createdAt)
       ON CONFLICT (telegram_chat_id, telegram_message_id) DO UPDATE SET
         thread_id = excluded.thread_id, item_id = excluded.item_id, direction = excluded.direction, created_at = excluded.created_at`,
    )
    .run({ ...mapping, itemId: mapping.itemId ?? null });
}

export function findMappingByTelegram(conn: Connection, chatId: string, messageId: number): BridgeMapping | null {
  const row = conn
    .statement(`SELECT ${MAPPING_COLUMNS} FROM bridge_mappings WHERE telegram_chat_id = ? AND telegram_message_id = ?`)
    .get(chatId, messageId);
  return row ? rowToMapping(row as MappingRow) : null;
}

export function findMappingsByItem(conn: Connection, threadId: string, itemId: string): BridgeMapping[] {
  const rows = conn
    .statement(
      `SELECT ${MAPPING_COLUMNS} FROM bridge_mappings WHERE thread_id = ? AND item_id = ? ORDER BY created_at, telegram_chat_id, telegram_message_id`,
    )
    .all(threadId, itemId);
  return (rows as MappingRow[]).map(rowToMapping);
}

export function clearMappings(conn: Connection): void {
  conn.statement('DELETE FROM bridge_mappings').run();
}

interface TopicRow {
  thread_id: string;
  telegram_chat_id: string;
  topic_id: number;
}

function rowToTopic(row: TopicRow): TopicMapping {
  return { threadId: row.thread_id, telegramChatId: row.telegram_chat_id, topicId: row.topic_id };
}

/** A topic belongs to one thread: putting it for another thread moves it (REPLACE drops the old row). */
export function putTopic(conn: Connection, topic: TopicMapping): void {
  conn
    .statement(
      'INSERT OR REPLACE INTO topics (thread_id, telegram_chat_id, topic_id) VALUES (@threadId, @telegramChatId, @topicId)',
    )
    .run(topic);
}

export function getTopicByThread(conn: Connection, threadId: string, chatId: string): TopicMapping | null {
  const row = conn.statement('SELECT * FROM topics WHERE thread_id = ? AND telegram_chat_id = ?').get(threadId, chatId);
  return row ? rowToTopic(row as TopicRow) : null;
}

export function getTopicById(conn: Connection, chatId: string, topicId: number): TopicMapping | null {
  const row = conn.statement('SELECT * FROM topics WHERE telegram_chat_id = ? AND topic_id = ?').get(chatId, topicId);
  return row ? rowToTopic(row as TopicRow) : null;
}
