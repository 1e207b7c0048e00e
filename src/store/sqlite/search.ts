// Full-text search: FTS5 finds and ranks (bm25), filters narrow, snippets are cut for the page only.
//
// The ranking query carries only what ordering needs (pk, score, sent_at, id); full rows are read
// for the page alone, so a common word's thousands of matches never drag their columns (raw JSON
// and all) through the sorter. Without filters, relevance is decided on the FTS side first: bm25
// is computed once per match into a small temporary table, the page's lowest score is found there,
// and only the matches scoring at least that well are joined to messages for the tie-break.
import type { SearchHit, SearchQuery } from '../store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';
import { normalizeForSearch, parseSearchQueryVerbatim } from '../search-query.js';
import type { Connection } from './connection.js';
import { toFtsMatch } from './fts-query.js';
import { MESSAGE_COLUMNS, MESSAGE_FROM, type MessageRow, rowToMessage } from './message-rows.js';

export const DEFAULT_SEARCH_LIMIT = 20;
const SNIPPET_TOKENS = 24;

// Text weighs more than the text of a shared post.
const RANK = 'bm25(messages_fts, 1.0, 0.5)';

const ORDER = {
  relevance: 'bm25_rank, sent_at DESC, id',
  newest: 'sent_at DESC, id DESC',
  oldest: 'sent_at, id',
} as const;

// Search reads touch pages all over the file: memory-mapped reads skip a system call and a copy per page.
const SEARCH_MMAP_BYTES = 256 * 1024 * 1024;

interface RankedRow {
  pk: number;
  bm25_rank: number;
}

interface HitRow extends MessageRow {
  pk: number;
  thread_title: string;
}

function filtersOf(query: SearchQuery): string[] {
  const where: string[] = [];
  if (query.threadIds)
    where.push('m.tk IN (SELECT tk FROM threads WHERE id IN (SELECT value FROM json_each(@threadIds)))');
  if (query.since !== undefined) where.push('m.sent_at >= @since');
  if (query.until !== undefined) where.push('m.sent_at < @until');
  if (query.from !== undefined) {
    where.push(`(instr(m.sender_norm, @from) > 0 OR m.sender_id IN (
      SELECT id FROM users WHERE instr(username_norm, @from) > 0 OR instr(full_name_norm, @from) > 0))`);
  }
  return where;
}

function rankSql(query: SearchQuery): string {
  const sort = query.sort ?? 'relevance';
  const filters = filtersOf(query);
  if (sort === 'relevance' && filters.length === 0) {
    return `WITH ranked AS MATERIALIZED (
        SELECT rowid AS pk, ${RANK} AS bm25_rank FROM messages_fts WHERE messages_fts MATCH @match),
      cut AS (SELECT bm25_rank FROM ranked ORDER BY bm25_rank LIMIT 1 OFFSET @limit - 1)
      SELECT r.pk, r.bm25_rank, m.sent_at, m.id FROM ranked r JOIN messages m ON m.pk = r.pk
      WHERE r.bm25_rank <= coalesce((SELECT bm25_rank FROM cut), 1e308)
      ORDER BY ${ORDER.relevance}
      LIMIT @limit`;
  }
  return `SELECT m.pk, ${RANK} AS bm25_rank, m.sent_at, m.id
    FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid
    WHERE ${['messages_fts MATCH @match', ...filters].join(' AND ')}
    ORDER BY ${ORDER[sort]}
    LIMIT @limit`;
}

const PAGE_ROWS = `SELECT m.pk, t.title AS thread_title, ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
  WHERE m.pk IN (SELECT value FROM json_each(?))`;

// The CAST matters: better-sqlite3 binds numbers as REAL, and FTS5 ignores a REAL rowid constraint.
const SNIPPET =
  'SELECT snippet(messages_fts, -1, @open, @close, @ellipsis, @tokens) AS snippet FROM messages_fts WHERE messages_fts MATCH @match AND rowid = CAST(@pk AS INTEGER)';

function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) return DEFAULT_SEARCH_LIMIT;
  return Math.floor(limit);
}

const mapped = new WeakSet<Connection>();

export function search(conn: Connection, query: SearchQuery): SearchHit[] {
  const match = toFtsMatch(parseSearchQueryVerbatim(query.text));
  if (match === null) return [];
  if (query.threadIds?.length === 0) return [];
  if (!mapped.has(conn)) {
    conn.db.pragma(`mmap_size = ${SEARCH_MMAP_BYTES}`);
    mapped.add(conn);
  }
  const from = query.from === undefined ? undefined : normalizeForSearch(query.from.trim()) || undefined;
  const ranked = conn.statement(rankSql({ ...query, from })).all({
    match,
    threadIds: query.threadIds ? JSON.stringify(query.threadIds) : undefined,
    since: query.since,
    until: query.until,
    from,
    limit: searchLimit(query.limit),
  }) as RankedRow[];
  if (ranked.length === 0) return [];
  const rows = new Map<number, HitRow>();
  for (const row of conn.statement(PAGE_ROWS).all(JSON.stringify(ranked.map((hit) => hit.pk))) as HitRow[]) {
    rows.set(row.pk, row);
  }
  // snippet() is costly; computing it in the ranked query would run it for every match, not just the page.
  const snippet = conn.statement(SNIPPET);
  return ranked.map((hit) => {
    const row = rows.get(hit.pk)!;
    const cut = snippet.get({
      match,
      pk: hit.pk,
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
      score: -hit.bm25_rank,
    };
  });
}
