import type { ClientSession } from 'mongodb';
import type { Collections } from './collections.js';

/** Holds the last message seq given; storeSeq() is the next one (1 in an empty store, as SQLite). */
export const MESSAGE_SEQ = 'messageSeq';
export const OUTBOX_ID = 'outboxId';
/** Searchable messages and their words, for ranking (SQLite's FTS5 keeps the same two numbers). */
export const SEARCH_ROWS = 'searchRows';
export const SEARCH_WORDS = 'searchWords';

/** Reserves `count` consecutive numbers of a counter; returns the first. Counters start at 1. */
export async function reserve(
  collections: Collections,
  name: string,
  count: number,
  session?: ClientSession,
): Promise<number> {
  const doc = await collections.counters.findOneAndUpdate(
    { _id: name },
    { $inc: { value: count } },
    { upsert: true, returnDocument: 'after', session },
  );
  if (!doc) throw new Error(`counter ${name} was not returned after an upsert`);
  return doc.value - count + 1;
}

export async function currentValues(collections: Collections, names: string[]): Promise<Map<string, number>> {
  const docs = await collections.counters.find({ _id: { $in: names } }).toArray();
  return new Map(names.map((name) => [name, docs.find((doc) => doc._id === name)?.value ?? 0]));
}
