// WriteBatch.threadMerges for MongoDB: folds thread `from` into thread `into`, inside the batch's
// transaction when the deployment has them (every call passes the session).
//
// Design. A message's `_id` is an ObjectId that never changes; its natural key is the unique
// (threadId, id) index. Re-keying a message is therefore a plain `updateMany` of `threadId` (no
// delete + insert, no copy of the documents), as long as no moved message collides with one
// `into` already holds, which the unique index would refuse. So the ids `from` shares with `into`
// are found first (a cursor over `from`'s ids, looked up in `into` in chunks: bounded memory) and
// those copies of `from` are deleted (`into`'s copy wins, as in SQLite); then the rest move in one
// updateMany that also gives them one new seq. The search statistics lose the deleted copies; the
// moved ones keep their search fields. `into`'s counters are recomputed from its messages rather
// than adjusted, so a merge re-run after a crash on a standalone server (no transactions) heals
// them. Then mappings and topics move, and `from`'s sync state and thread document are deleted.
import type { AnyBulkWriteOperation, ClientSession } from 'mongodb';
import { StoreError } from '../../core/errors.js';
import type { Thread } from '../../core/model.js';
import type { ThreadMerge } from '../store.js';
import type { Collections } from './collections.js';
import { MESSAGE_SEQ, SEARCH_ROWS, SEARCH_WORDS, reserve } from './counters.js';
import type { CounterDoc } from './documents.js';
import { threadOp } from './upserts.js';

/** Ids per `$in` lookup or delete. */
const CHUNK = 1000;

interface FromMessage {
  id: string;
  searchable?: boolean;
  wordCount?: number;
}

/** Which of `ids` thread `into` holds. */
async function heldIds(
  c: Collections,
  into: string,
  ids: string[],
  session: ClientSession | undefined,
): Promise<Set<string>> {
  const held = await c.messages
    .find({ threadId: into, id: { $in: ids } }, { projection: { _id: 0, id: 1 }, session })
    .toArray();
  return new Set(held.map((doc) => doc.id));
}

/** Copies of `from` whose id `into` already holds. */
async function duplicates(
  c: Collections,
  merge: ThreadMerge,
  session: ClientSession | undefined,
): Promise<{ found: FromMessage[]; total: number }> {
  const found: FromMessage[] = [];
  let total = 0;
  let chunk: FromMessage[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const held = await heldIds(
      c,
      merge.into,
      chunk.map((doc) => doc.id),
      session,
    );
    found.push(...chunk.filter((doc) => held.has(doc.id)));
    chunk = [];
  };
  const cursor = c.messages.find<FromMessage>(
    { threadId: merge.from },
    { projection: { _id: 0, id: 1, searchable: 1, wordCount: 1 }, session, batchSize: CHUNK },
  );
  try {
    for await (const doc of cursor) {
      total += 1;
      chunk.push(doc);
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
  } finally {
    await cursor.close();
  }
  return { found, total };
}

async function dropDuplicates(
  c: Collections,
  merge: ThreadMerge,
  found: FromMessage[],
  session: ClientSession | undefined,
): Promise<void> {
  for (let start = 0; start < found.length; start += CHUNK) {
    const ids = found.slice(start, start + CHUNK).map((doc) => doc.id);
    await c.messages.deleteMany({ threadId: merge.from, id: { $in: ids } }, { session });
  }
  const rows = found.filter((doc) => doc.searchable === true).length;
  const words = found.reduce((sum, doc) => sum + (doc.wordCount ?? 0), 0);
  const ops: AnyBulkWriteOperation<CounterDoc>[] = [];
  if (rows !== 0) ops.push({ updateOne: { filter: { _id: SEARCH_ROWS }, update: { $inc: { value: -rows } } } });
  if (words !== 0) ops.push({ updateOne: { filter: { _id: SEARCH_WORDS }, update: { $inc: { value: -words } } } });
  if (ops.length > 0) await c.counters.bulkWrite(ops, { session, ordered: true });
}

/** `into`'s message count and newest message, from its messages. */
async function recount(c: Collections, into: string, session: ClientSession | undefined): Promise<void> {
  const messageCount = await c.messages.countDocuments({ threadId: into }, { session });
  const newest = await c.messages.findOne(
    { threadId: into },
    { sort: { threadId: -1, sentAt: -1, id: -1 }, projection: { _id: 0, sentAt: 1 }, session },
  );
  const lastMessageAt = newest ? newest.sentAt : null;
  await c.threads.updateOne(
    { _id: into },
    // activityAt = max(lastActivityAt ?? 0, lastMessageAt ?? 0); a merge only adds messages to `into`.
    { $set: { messageCount, lastMessageAt }, $max: { activityAt: Math.max(lastMessageAt ?? 0, 0) } },
    { session },
  );
}

async function moveTopics(c: Collections, merge: ThreadMerge, session: ClientSession | undefined): Promise<void> {
  // One topic per (thread, chat): where `into` already has a topic in a chat, `from`'s is dropped.
  const held = await c.topics
    .find({ threadId: merge.into }, { projection: { _id: 0, telegramChatId: 1 }, session })
    .toArray();
  const chats = held.map((topic) => topic.telegramChatId);
  if (chats.length > 0)
    await c.topics.deleteMany({ threadId: merge.from, telegramChatId: { $in: chats } }, { session });
  await c.topics.updateMany({ threadId: merge.from }, { $set: { threadId: merge.into } }, { session });
}

/** Applies the merges in order; run after the batch's threads are upserted, before its messages. */
export async function mergeThreads(
  c: Collections,
  merges: ThreadMerge[],
  session: ClientSession | undefined,
): Promise<void> {
  for (const merge of merges) {
    const { from, into } = merge;
    if (from === into) continue;
    if (!(await c.threads.findOne({ _id: from }, { projection: { _id: 1 }, session }))) continue;
    if (!(await c.threads.findOne({ _id: into }, { projection: { _id: 1 }, session }))) {
      throw new StoreError(`cannot merge thread ${from} into ${into}: ${into} is not stored`);
    }
    const { found, total } = await duplicates(c, merge, session);
    if (found.length > 0) await dropDuplicates(c, merge, found, session);
    if (total > found.length) {
      const seq = await reserve(c, MESSAGE_SEQ, 1, session);
      await c.messages.updateMany({ threadId: from }, { $set: { threadId: into, seq } }, { session });
    }
    await recount(c, into, session);
    await c.syncState.deleteOne({ _id: from }, { session });
    await c.mappings.updateMany({ threadId: from }, { $set: { threadId: into } }, { session });
    await moveTopics(c, merge, session);
    await c.threads.deleteOne({ _id: from }, { session });
  }
}

/** A merge moving more messages than this moves them in steps first (moveInSteps). */
export const LARGE_MERGE = 5000;
/** Messages per step of moveInSteps. */
export const MOVE_STEP = 1000;

export type InTransaction = <T>(work: (session: ClientSession) => Promise<T>) => Promise<T>;

/**
 * A long thread's merge would not fit one transaction: a server aborts one that runs over 60 s or
 * holds too much of its cache (as a WriteConflict, which withTransaction retries in vain). So
 * before the batch's transaction, a large merge of a stored thread moves `from`'s messages in
 * steps of `step`, each its own transaction (the same drop-the-duplicates-then-re-key as
 * mergeThreads); the batch's transaction then finds them moved and does the rest. An `into` that
 * only the batch brings (`threads`: a sync meeting the API side of an imported chat) is stored
 * first, in a transaction of its own. A batch that fails after the steps leaves the moved messages
 * under `into` and `from` stored: the next sync finds `into` stored with `from`'s folder and sends
 * the merge again (SyncContext.unfinishedMerge), which finishes it.
 */
export async function moveInSteps(
  c: Collections,
  merges: ThreadMerge[],
  inTransaction: InTransaction,
  { large = LARGE_MERGE, step = MOVE_STEP, threads = [] }: { large?: number; step?: number; threads?: Thread[] } = {},
): Promise<void> {
  for (const merge of merges) {
    const { from, into } = merge;
    if (from === into) continue;
    const stored = await c.threads.find({ _id: { $in: [from, into] } }, { projection: { _id: 1 } }).toArray();
    if (!stored.some((doc) => doc._id === from)) continue;
    const incoming = stored.some((doc) => doc._id === into) ? null : threads.find((thread) => thread.id === into);
    if (incoming === undefined) continue;
    if ((await c.messages.countDocuments({ threadId: from }, { limit: large + 1 })) <= large) continue;
    if (incoming) await inTransaction((session) => c.threads.bulkWrite([threadOp(incoming)], { session }));
    let moved: number;
    do {
      moved = await inTransaction(async (session) => {
        const next = await c.messages
          .find<FromMessage>(
            { threadId: from },
            { projection: { _id: 0, id: 1, searchable: 1, wordCount: 1 }, limit: step, session },
          )
          .toArray();
        if (next.length === 0) return 0;
        const held = await heldIds(
          c,
          into,
          next.map((doc) => doc.id),
          session,
        );
        const copies = next.filter((doc) => held.has(doc.id));
        if (copies.length > 0) await dropDuplicates(c, merge, copies, session);
        const rest = next.filter((doc) => !held.has(doc.id)).map((doc) => doc.id);
        if (rest.length > 0) {
          const seq = await reserve(c, MESSAGE_SEQ, 1, session);
          await c.messages.updateMany(
            { threadId: from, id: { $in: rest } },
            { $set: { threadId: into, seq } },
            { session },
          );
        }
        return next.length;
      });
    } while (moved > 0);
  }
}
