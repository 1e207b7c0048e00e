// Time keys: the full-text index (messages_fts) keys each message by the UTC day it was sent and
// its row number, time_key = day · 2^32 + pk. Matches then come out of FTS5 in time order for free:
// `--sort newest` reads one page of matches instead of sorting all of them, and relevance ranks a
// bounded window of the newest matches (RELEVANCE_WINDOW) whatever the store's size. Keys are
// unique by construction and give back their pk, so the index needs no column and messages no index
// to go from one to the other. (A day, not a minute: a word's matches on one day then differ by a
// few thousand rows, not by 2^32, and the index is about a third smaller and faster to build.)
//
// A message dated before 1970 or after 7700, or stored as row 2^32 or later, gets the unordered
// key -pk instead; once a store holds one, search uses plans that sort every match.
import type { Connection } from './connection.js';

export const DAY_MS = 86_400_000;
/** Keys per day: one per possible row number. */
export const KEYS_PER_DAY = 2 ** 32;
/** The last day whose keys stay within JavaScript's safe integers. */
const LAST_DAY = Math.floor(Number.MAX_SAFE_INTEGER / KEYS_PER_DAY) - 1;
export const LAST_ORDERED_MS = (LAST_DAY + 1) * DAY_MS - 1;

/** SQL: the pk a key (the FTS rowid) was made of. */
export const PK_OF_KEY = `(CASE WHEN messages_fts.rowid >= 0 THEN messages_fts.rowid % ${KEYS_PER_DAY} ELSE -messages_fts.rowid END)`;

/** Counter of stored messages with an unordered key. */
export const UNORDERED_KEYS = 'unordered_time_keys';
/** Counter: every message row up to this pk is in the full-text index (write-batch.ts). */
export const INDEXED_THROUGH = 'fts_indexed_through';

export function timeKey(sentAt: number, pk: number): number {
  if (!Number.isSafeInteger(sentAt) || sentAt < 0 || sentAt > LAST_ORDERED_MS || pk >= KEYS_PER_DAY) return -pk;
  return Math.floor(sentAt / DAY_MS) * KEYS_PER_DAY + pk;
}

/** The first key of the day holding `ms` (clamped to the ordered range): a time bound on the FTS rowid. */
export function firstKeyOfDay(ms: number): number {
  const day = Math.min(Math.max(Math.floor(ms / DAY_MS), 0), LAST_DAY + 1);
  return day * KEYS_PER_DAY;
}

/** True while every stored message has an ordered key: search may then walk the FTS rowid in time order. */
export function timeKeysOrdered(conn: Connection): boolean {
  const row = conn.statement(`SELECT value FROM counters WHERE name = '${UNORDERED_KEYS}'`).get() as
    { value: number } | undefined;
  return (row?.value ?? 0) === 0;
}
