// Atlas-free full-text search: an indexed filter built from the parsed query (search-filter.ts),
// ranked like FTS5's bm25 (search-rank.ts) and cut into snippets like FTS5's (search-snippet.ts).
import type { Filter } from 'mongodb';
import { normalizeForSearch, parseSearchQuery } from '../search-query.js';
import { RELEVANCE_WINDOW, type SearchHit, type SearchQuery } from '../store.js';
import type { Collections } from './collections.js';
import { SEARCH_ROWS, SEARCH_WORDS, currentValues } from './counters.js';
import { docToMessage, type MessageDoc } from './documents.js';
import { buildSnippet } from '../search-snippet.js';
import { planSearch, type MatchTerm } from '../search-terms.js';
import { escapeRegex, planFilter, termFilter } from './search-filter.js';
import { bm25Score, inverseDocumentFrequency, type RankStats } from './search-rank.js';

export const DEFAULT_SEARCH_LIMIT = 20;

export function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) return DEFAULT_SEARCH_LIMIT;
  return Math.floor(limit);
}

/** Sender display name, or the username or full name of the sender's user, containing `from`. */
async function fromFilter(collections: Collections, needle: string): Promise<Filter<MessageDoc>> {
  const pattern = escapeRegex(needle);
  const users = await collections.users
    .find(
      { $or: [{ usernameNorm: { $regex: pattern } }, { fullNameNorm: { $regex: pattern } }] },
      { projection: { _id: 1 } },
    )
    .toArray();
  const byName: Filter<MessageDoc> = { senderNorm: { $regex: pattern } };
  if (users.length === 0) return byName;
  return { $or: [byName, { senderId: { $in: users.map((user) => user._id) } }] };
}

function columnsOf(doc: Pick<MessageDoc, 'searchText' | 'shareSearchText'>): string[][] {
  const words = (joined: string | undefined) => (joined ?? '').split(' ').filter((word) => word.length > 0);
  return [words(doc.searchText), words(doc.shareSearchText)];
}

/** Collection-wide numbers for bm25; each distinct term is counted once, with an indexed query. */
async function rankStats(collections: Collections, terms: readonly MatchTerm[]): Promise<RankStats> {
  const counters = await currentValues(collections, [SEARCH_ROWS, SEARCH_WORDS]);
  const rows = counters.get(SEARCH_ROWS) ?? 0;
  const hits = new Map<string, number>();
  const idf: number[] = [];
  for (const term of terms) {
    const termKey = JSON.stringify(term);
    let count = hits.get(termKey);
    if (count === undefined) {
      count = await collections.messages.countDocuments(termFilter(term));
      hits.set(termKey, count);
    }
    idf.push(inverseDocumentFrequency(rows, count));
  }
  return { rows, words: counters.get(SEARCH_WORDS) ?? 0, idf };
}

interface Found {
  docs: MessageDoc[];
  stats: RankStats;
}

// Both sorts are blocking (the word index gives no time order): servers before 6.0 refuse one over
// 100 MB of documents unless it may spill to disk.
async function byRelevance(
  collections: Collections,
  filter: Filter<MessageDoc>,
  terms: MatchTerm[],
  limit: number,
): Promise<Found | null> {
  const candidates = await collections.messages
    .find(filter, { projection: { _id: 1, id: 1, sentAt: 1, searchText: 1, shareSearchText: 1 }, allowDiskUse: true })
    .sort({ sentAt: -1, _id: -1 })
    .limit(Math.max(RELEVANCE_WINDOW, limit))
    .toArray();
  if (candidates.length === 0) return null;
  const stats = await rankStats(collections, terms);
  // Ties as SQLite orders them: newest first, then by message id.
  const top = candidates
    .map((doc) => ({ doc, score: bm25Score(columnsOf(doc), terms, stats) }))
    .sort((a, b) => b.score - a.score || b.doc.sentAt - a.doc.sentAt || compare(a.doc.id, b.doc.id))
    .slice(0, limit);
  const full = await collections.messages.find({ _id: { $in: top.map((hit) => hit.doc._id!) } }).toArray();
  const byId = new Map(full.map((doc) => [doc._id!.toHexString(), doc]));
  return { docs: top.flatMap((hit) => byId.get(hit.doc._id!.toHexString()) ?? []), stats };
}

async function byTime(
  collections: Collections,
  filter: Filter<MessageDoc>,
  terms: MatchTerm[],
  limit: number,
  direction: 1 | -1,
): Promise<Found | null> {
  const docs = await collections.messages
    .find(filter, { allowDiskUse: true })
    .sort({ sentAt: direction, id: direction })
    .limit(limit)
    .toArray();
  if (docs.length === 0) return null;
  return { docs, stats: await rankStats(collections, terms) };
}

export async function searchMessages(collections: Collections, query: SearchQuery): Promise<SearchHit[]> {
  const plan = planSearch(parseSearchQuery(query.text));
  const textFilter = planFilter(plan);
  if (!textFilter || query.threadIds?.length === 0) return [];
  const limit = searchLimit(query.limit);

  const parts: Filter<MessageDoc>[] = [textFilter];
  if (query.threadIds) parts.push({ threadId: { $in: query.threadIds } });
  if (query.since !== undefined) parts.push({ sentAt: { $gte: query.since } });
  if (query.until !== undefined) parts.push({ sentAt: { $lt: query.until } });
  const from = query.from === undefined ? '' : normalizeForSearch(query.from.trim());
  if (from) parts.push(await fromFilter(collections, from));
  const filter: Filter<MessageDoc> = { $and: parts };
  const terms: MatchTerm[] = plan.clauses.flat();
  const sort = query.sort ?? 'relevance';
  const found =
    sort === 'relevance'
      ? await byRelevance(collections, filter, terms, limit)
      : await byTime(collections, filter, terms, limit, sort === 'newest' ? -1 : 1);
  if (!found) return [];
  const { docs, stats } = found;

  const threadIds = [...new Set(docs.map((doc) => doc.threadId))];
  const threads = await collections.threads
    .find({ _id: { $in: threadIds } }, { projection: { _id: 1, title: 1 } })
    .toArray();
  const titles = new Map(threads.map((thread) => [thread._id, thread.title]));
  return docs.map((doc) => {
    const message = docToMessage(doc);
    return {
      threadId: message.threadId,
      threadTitle: titles.get(message.threadId) ?? message.threadId,
      message,
      snippet: buildSnippet([message.text ?? '', message.share?.text ?? ''], terms),
      score: bm25Score(columnsOf(doc), terms, stats),
    };
  });
}

/** SQLite's default (binary) text order. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
