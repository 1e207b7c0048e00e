// Full-text search: FTS5 finds and ranks (bm25), filters narrow, snippets are cut for the page only.
import type { SearchHit, SearchQuery } from '../store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';
import { normalizeForSearch, parseSearchQueryVerbatim } from '../search-query.js';
import type { Connection } from './connection.js';
import { toFtsMatch } from './fts-query.js';
import { MESSAGE_COLUMNS, type MessageRow, rowToMessage } from './message-rows.js';

export const DEFAULT_SEARCH_LIMIT = 20;
const SNIPPET_TOKENS = 24;

// Text weighs more than the text of a shared post.
const RANK = 'bm25(messages_fts, 1.0, 0.5)';

const ORDER = {
  relevance: 'bm25_rank, m.sent_at DESC, m.id',
  newest: 'm.sent_at DESC, m.id DESC',
  oldest: 'm.sent_at, m.id',
} as const;

interface HitRow extends MessageRow {
  pk: number;
  bm25_rank: number;
  thread_title: string;
}

function searchSql(query: SearchQuery): string {
  const where = ['messages_fts MATCH @match'];
  if (query.threadIds) where.push('t.id IN (SELECT value FROM json_each(@threadIds))');
  if (query.since !== undefined) where.push('m.sent_at >= @since');
  if (query.until !== undefined) where.push('m.sent_at < @until');
  if (query.from !== undefined) {
    where.push(`(instr(m.sender_norm, @from) > 0 OR m.sender_id IN (
      SELECT id FROM users WHERE instr(username_norm, @from) > 0 OR instr(full_name_norm, @from) > 0))`);
  }
  return `SELECT m.pk, ${RANK} AS bm25_rank, t.title AS thread_title, ${MESSAGE_COLUMNS}
    FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid JOIN threads t ON t.tk = m.tk
    WHERE ${where.join(' AND ')}
    ORDER BY ${ORDER[query.sort ?? 'relevance']}
    LIMIT @limit`;
}

function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) return DEFAULT_SEARCH_LIMIT;
  return Math.floor(limit);
}

export function search(conn: Connection, query: SearchQuery): SearchHit[] {
  const match = toFtsMatch(parseSearchQueryVerbatim(query.text));
  if (match === null) return [];
  if (query.threadIds?.length === 0) return [];
  const from = query.from === undefined ? undefined : normalizeForSearch(query.from.trim()) || undefined;
  const rows = conn.statement(searchSql({ ...query, from })).all({
    match,
    threadIds: query.threadIds ? JSON.stringify(query.threadIds) : undefined,
    since: query.since,
    until: query.until,
    from,
    limit: searchLimit(query.limit),
  }) as HitRow[];
  // snippet() is costly; computing it in the ranked query would run it for every match, not just the page.
  // The CAST matters: better-sqlite3 binds numbers as REAL, and FTS5 ignores a REAL rowid constraint.
  const snippet = conn.statement(
    'SELECT snippet(messages_fts, -1, @open, @close, @ellipsis, @tokens) AS snippet FROM messages_fts WHERE messages_fts MATCH @match AND rowid = CAST(@pk AS INTEGER)',
  );
  return rows.map((row) => {
    const cut = snippet.get({
      match,
      pk: row.pk,
      open: SNIPPET_OPEN,
      close: SNIPPET_CLOSE,
      ellipsis: '…',
      tokens: SNIPPET_TOKENS,
    }) as { snippet: string | null } | undefined;
    const message = rowToMessage(row);
    return {
      threadId: message.threadId,
      threadTitle: row.thread_title,
      message,
      snippet: cut?.snippet ?? message.text ?? '',
      score: -row.bm25_rank,
    };
  });
}
