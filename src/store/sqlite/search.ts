// Full-text search: FTS5 finds and ranks (bm25), filters narrow, snippets are cut for the page only.
//
// The FTS rowid is a time key (time-key.ts), so FTS5 hands back matches newest or oldest first
// without a sort. Relevance ranks the newest RELEVANCE_WINDOW matches, as the MongoDB adapter does
// (newest by day: of the window's oldest day, the most recently stored ones are taken);
// `--sort newest|oldest` reads one page of matches, then re-reads the matches of the page's last
// day so that messages come out exactly by time and id. A store holding an unordered key (a
// message dated before 1970, say) is searched with plans that rank or sort every match instead.
//
// Ranking queries carry only what ordering needs; the page's rows are read once, by pk. The index
// is contentless, so snippets are cut from those rows, the way FTS5's snippet() cuts them.
import { normalizeForSearch, parseSearchQuery, parseSearchQueryVerbatim } from '../search-query.js';
import { buildSnippet } from '../search-snippet.js';
import { planSearch } from '../search-terms.js';
import type { SearchHit, SearchQuery } from '../store.js';
import { RELEVANCE_WINDOW } from '../store.js';
import type { Connection } from './connection.js';
import { toFtsMatch } from './fts-query.js';
import { MESSAGE_COLUMNS, MESSAGE_FROM, type MessageRow, rowToMessage } from './message-rows.js';
import { DAY_MS, KEYS_PER_DAY, PK_OF_KEY, firstKeyOfDay, timeKeysOrdered } from './time-key.js';

export const DEFAULT_SEARCH_LIMIT = 20;

// Text weighs more than the text of a shared post.
const RANK = 'bm25(messages_fts, 1.0, 0.5)';
const KEY = 'messages_fts.rowid';
const PK = PK_OF_KEY;

const ORDER = {
  relevance: 'bm25_rank, m.sent_at DESC, m.id',
  newest: 'm.sent_at DESC, m.id DESC',
  oldest: 'm.sent_at, m.id',
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

/** Conditions on the index alone (`keys`) and on the message row, joined as `m` (`rows`). */
interface Filters {
  keys: string[];
  rows: string[];
}

const SENDERS_FROM_USERS =
  'SELECT id FROM users WHERE instr(username_norm, @from) > 0 OR instr(full_name_norm, @from) > 0';
/** The sender filter on the columns of a message row or a thread_senders row (`table.` or ''). */
const senderMatches = (table: string) =>
  `(instr(${table}sender_norm, @from) > 0 OR ${table}sender_id IN (${SENDERS_FROM_USERS}))`;
const SENDER_THREADS = `SELECT tk FROM thread_senders WHERE ${senderMatches('')}`;
const SENDER_THREAD_SIZE = `SELECT (SELECT sum(message_count) FROM threads WHERE tk IN (${SENDER_THREADS})) AS theirs,
  (SELECT sum(message_count) FROM threads) AS "all"`;

type FromPlan = 'threads' | 'rows';

function filtersOf(query: SearchQuery, ordered: boolean, fromPlan: FromPlan): Filters {
  const filters: Filters = { keys: [], rows: [] };
  // A thread's rows are found by index and matched by pk: cheaper than reading every match's row.
  if (query.threadIds) {
    filters.keys.push(`${PK} IN (SELECT pk FROM messages WHERE tk IN (
      SELECT tk FROM threads WHERE id IN (SELECT value FROM json_each(@threadIds))))`);
  }
  // Time bounds narrow the key range to whole days; the messages of a bound's own day are checked
  // one by one (the subquery runs for those only).
  const sentAt = `(SELECT sent_at FROM messages WHERE pk = ${PK})`;
  if (query.since !== undefined) {
    if (!ordered) filters.rows.push('m.sent_at >= @since');
    else {
      filters.keys.push(`${KEY} >= CAST(@sinceDay AS INTEGER)`);
      if (query.since % DAY_MS !== 0)
        filters.keys.push(`(${KEY} >= CAST(@sinceNextDay AS INTEGER) OR ${sentAt} >= @since)`);
    }
  }
  if (query.until !== undefined) {
    if (!ordered) filters.rows.push('m.sent_at < @until');
    else {
      if (query.until % DAY_MS === 0) filters.keys.push(`${KEY} < CAST(@untilDay AS INTEGER)`);
      else {
        filters.keys.push(`${KEY} < CAST(@untilNextDay AS INTEGER)`);
        filters.keys.push(`(${KEY} < CAST(@untilDay AS INTEGER) OR ${sentAt} < @until)`);
      }
    }
  }
  if (query.from !== undefined) {
    if (fromPlan === 'threads')
      filters.keys.push(`${PK} IN (SELECT pk FROM messages WHERE tk IN (${SENDER_THREADS}) AND ${senderMatches('')})`);
    else filters.rows.push(senderMatches('m.'));
  }
  return filters;
}

/**
 * How `--from` narrows: by the messages of the threads the sender wrote in, when those are few;
 * otherwise match by match, which for someone who writes much fills a page after a few rows.
 */
function fromPlanFor(conn: Connection, from: string | undefined): FromPlan {
  if (from === undefined) return 'rows';
  const row = conn.statement(SENDER_THREAD_SIZE).get({ from }) as { theirs: number | null; all: number | null };
  return (row.theirs ?? 0) * 4 <= (row.all ?? 0) ? 'threads' : 'rows';
}

/** Matches passing the filters; the message rows are joined only when asked or a filter needs them. */
function matches(filters: Filters, join: boolean, extra: string[] = []): string {
  const from = join || filters.rows.length > 0 ? `messages_fts JOIN messages m ON m.pk = ${PK}` : 'messages_fts';
  return `${from} WHERE ${['messages_fts MATCH @match', ...filters.keys, ...filters.rows, ...extra].join(' AND ')}`;
}

// Bm25 for the newest matches only; the page's worst score is found among them, and only the
// matches scoring at least that well are joined to their rows for the tie-break.
function relevanceSql(filters: Filters): string {
  return `WITH ranked AS MATERIALIZED (
      SELECT ${PK} AS pk, ${RANK} AS bm25_rank FROM ${matches(filters, false)} ORDER BY ${KEY} DESC LIMIT @window),
    cut AS (SELECT bm25_rank FROM ranked ORDER BY bm25_rank LIMIT 1 OFFSET @limit - 1)
    SELECT r.pk, r.bm25_rank FROM ranked r JOIN messages m ON m.pk = r.pk
    WHERE r.bm25_rank <= coalesce((SELECT bm25_rank FROM cut), 1e308)
    ORDER BY ${ORDER.relevance}
    LIMIT @limit`;
}

// One page in key order, then every match from the page's last day on, sorted exactly.
function timeOrderSql(filters: Filters, sort: 'newest' | 'oldest'): string {
  const newest = sort === 'newest';
  const bound = newest
    ? `${KEY} >= (SELECT min(key) FROM page) / ${KEYS_PER_DAY} * ${KEYS_PER_DAY}`
    : `${KEY} < ((SELECT max(key) FROM page) / ${KEYS_PER_DAY} + 1) * ${KEYS_PER_DAY}`;
  return `WITH page AS MATERIALIZED (
      SELECT ${KEY} AS key FROM ${matches(filters, false)} ORDER BY ${KEY} ${newest ? 'DESC' : ''} LIMIT @limit)
    SELECT ${PK} AS pk, ${RANK} AS bm25_rank FROM ${matches(filters, true, [bound])}
    ORDER BY ${ORDER[sort]}
    LIMIT @limit`;
}

// For a store with unordered keys: every match is ranked or sorted.
function exhaustiveSql(filters: Filters, sort: keyof typeof ORDER): string {
  return `SELECT ${PK} AS pk, ${RANK} AS bm25_rank FROM ${matches(filters, true)} ORDER BY ${ORDER[sort]} LIMIT @limit`;
}

function rankSql(query: SearchQuery, ordered: boolean, fromPlan: FromPlan): string {
  const sort = query.sort ?? 'relevance';
  const filters = filtersOf(query, ordered, fromPlan);
  if (!ordered) return exhaustiveSql(filters, sort);
  return sort === 'relevance' ? relevanceSql(filters) : timeOrderSql(filters, sort);
}

const PAGE_ROWS = `SELECT m.pk, t.title AS thread_title, ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
  WHERE m.pk IN (SELECT value FROM json_each(?))`;

/** The first keys of the day holding `ms` and of the next day. */
function dayBounds(name: 'since' | 'until', ms: number | undefined): Record<string, number> {
  if (ms === undefined) return {};
  return { [`${name}Day`]: firstKeyOfDay(ms), [`${name}NextDay`]: firstKeyOfDay(ms + DAY_MS) };
}

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
  const ordered = timeKeysOrdered(conn);
  const limit = searchLimit(query.limit);
  const ranked = conn.statement(rankSql({ ...query, from }, ordered, fromPlanFor(conn, from))).all({
    match,
    threadIds: query.threadIds ? JSON.stringify(query.threadIds) : undefined,
    since: query.since,
    until: query.until,
    ...dayBounds('since', query.since),
    ...dayBounds('until', query.until),
    from,
    limit,
    window: Math.max(RELEVANCE_WINDOW, limit),
  }) as RankedRow[];
  if (ranked.length === 0) return [];
  const rows = new Map<number, HitRow>();
  for (const row of conn.statement(PAGE_ROWS).all(JSON.stringify(ranked.map((hit) => hit.pk))) as HitRow[]) {
    rows.set(row.pk, row);
  }
  const terms = planSearch(parseSearchQuery(query.text)).clauses.flat();
  return ranked.map((hit) => {
    const row = rows.get(hit.pk)!;
    const message = rowToMessage(row);
    return {
      threadId: message.threadId,
      threadTitle: row.thread_title,
      message,
      snippet: buildSnippet([message.text ?? '', message.share?.text ?? ''], terms),
      score: -hit.bm25_rank,
    };
  });
}
