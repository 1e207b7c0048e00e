// Writes one WriteBatch with the SQLite adapter's rules: upserts keyed on natural ids; a user's or
// thread's unknown (null) fields never erase known ones; a re-written message is updated (and gets a
// new seq) only when its content changed. Runs inside a transaction when the deployment has them
// (see mongo-store.ts); every call passes the session so it joins it.
import type { AnyBulkWriteOperation, ClientSession } from 'mongodb';
import { StoreError } from '../../core/errors.js';
import type { Thread } from '../../core/model.js';
import type { ThreadMerge, WriteBatch, WriteResult } from '../store.js';
import type { Collections } from './collections.js';
import { MESSAGE_SEQ, SEARCH_ROWS, SEARCH_WORDS, reserve } from './counters.js';
import { syncStateToDoc, type CounterDoc, type MessageDoc, type SyncStateDoc, type ThreadDoc } from './documents.js';
import {
  COMPARED_PROJECTION,
  changedFieldsUpdate,
  contentChanged,
  messageToFields,
  type ComparedFields,
  type MessageFields,
} from './message-fields.js';
import { mergeThreads } from './thread-merge.js';
import { threadOp, userOp } from './upserts.js';

type StoredMessage = ComparedFields & Pick<MessageDoc, 'wordCount' | 'searchable'>;

const key = (threadId: string, id: string): string => `${threadId}\u0000${id}`;

/**
 * Messages may only be stored in a thread that is stored (SQLite's foreign key), and a merge needs
 * its `into` thread; a thread merged away by this batch is gone by the time its messages are written.
 */
async function checkThreads(
  collections: Collections,
  threads: Thread[],
  messages: MessageFields[],
  merges: ThreadMerge[],
  session: ClientSession | undefined,
): Promise<void> {
  const inBatch = new Set(threads.map((thread) => thread.id));
  const merged = new Set(merges.filter((m) => m.from !== m.into).map((m) => m.from));
  const named = [...messages.map((m) => m.threadId), ...merges.filter((m) => m.from !== m.into).map((m) => m.into)];
  const wanted = [...new Set(named)].filter((id) => !inBatch.has(id));
  if (wanted.length === 0 && merged.size === 0) return;
  const found =
    wanted.length === 0
      ? []
      : await collections.threads.find({ _id: { $in: wanted } }, { projection: { _id: 1 }, session }).toArray();
  const known = new Set([...inBatch, ...found.map((thread) => thread._id)]);
  const orphan = messages.find((m) => !known.has(m.threadId) || merged.has(m.threadId));
  if (orphan) throw new StoreError(`cannot store message ${orphan.id}: its thread ${orphan.threadId} is not stored`);
  // A merge whose `from` is not stored is a no-op (mergeThreads skips it before looking at `into`).
  for (const { from, into } of merges) {
    if (from === into || known.has(into)) continue;
    if (inBatch.has(from) || (await collections.threads.findOne({ _id: from }, { projection: { _id: 1 }, session }))) {
      throw new StoreError(`cannot merge thread ${from} into ${into}: ${into} is not stored`);
    }
  }
}

async function readStored(
  collections: Collections,
  messages: MessageFields[],
  session: ClientSession | undefined,
): Promise<Map<string, StoredMessage>> {
  const idsByThread = new Map<string, string[]>();
  for (const m of messages) {
    const ids = idsByThread.get(m.threadId);
    if (ids) ids.push(m.id);
    else idsByThread.set(m.threadId, [m.id]);
  }
  const docs = await collections.messages
    .find(
      { $or: [...idsByThread].map(([threadId, ids]) => ({ threadId, id: { $in: ids } })) },
      { projection: { ...COMPARED_PROJECTION, threadId: 1, id: 1 }, session },
    )
    .toArray();
  return new Map(docs.map((doc) => [key(doc.threadId, doc.id), doc]));
}

type MessagePlan =
  { kind: 'insert'; fields: MessageFields } | { kind: 'update'; fields: MessageFields; stored: StoredMessage };

async function writeMessages(
  collections: Collections,
  messages: MessageFields[],
  session: ClientSession | undefined,
): Promise<WriteResult> {
  const result: WriteResult = { messagesAdded: 0, addedMessageIds: [] };
  const stored = await readStored(collections, messages, session);
  const plans: MessagePlan[] = [];
  for (const fields of messages) {
    const k = key(fields.threadId, fields.id);
    const previous = stored.get(k);
    if (!previous) plans.push({ kind: 'insert', fields });
    else if (contentChanged(previous, fields)) plans.push({ kind: 'update', fields, stored: previous });
    else continue;
    // Later copies of the same message in this batch compare against this one.
    stored.set(k, { ...fields, senderId: fields.senderId ?? previous?.senderId ?? null });
  }
  if (plans.length === 0) return result;

  // One number per insert or update, in batch order; the counter holds the next number to give.
  const firstSeq = await reserve(collections, MESSAGE_SEQ, plans.length, session);
  const ops: AnyBulkWriteOperation<MessageDoc>[] = plans.map((plan, index) => {
    const seq = firstSeq + index;
    const { threadId, id, ...rest } = plan.fields;
    if (plan.kind === 'insert') {
      // $setOnInsert only: should another writer insert it first, this becomes a no-op, not an overwrite.
      return { updateOne: { filter: { threadId, id }, update: { $setOnInsert: { ...rest, seq } }, upsert: true } };
    }
    return { updateOne: { filter: { threadId, id }, update: { $set: changedFieldsUpdate(plan.fields, seq) } } };
  });
  const written = await collections.messages.bulkWrite(ops, { session, ordered: true });
  const inserted = new Set(Object.keys(written.upsertedIds).map(Number));

  /** Threads that got new messages, with the newest one's time. */
  const bumps = new Map<string, number>();
  let rows = 0;
  let words = 0;
  plans.forEach((plan, index) => {
    const { fields } = plan;
    if (plan.kind === 'update') {
      rows += Number(fields.searchable) - Number(plan.stored.searchable === true);
      words += fields.wordCount - (plan.stored.wordCount ?? 0);
      return;
    }
    if (!inserted.has(index)) return;
    result.messagesAdded += 1;
    result.addedMessageIds.push(fields.id);
    rows += Number(fields.searchable);
    words += fields.wordCount;
    bumps.set(fields.threadId, Math.max(bumps.get(fields.threadId) ?? fields.sentAt, fields.sentAt));
  });

  if (bumps.size > 0) {
    // Counted, not incremented: without transactions (a standalone server) a crash between the
    // message write above and this one would leave an increment short for good, whereas a count
    // heals with the thread's next write. $max keeps a concurrent writer's older count from
    // lowering it; only a thread merge, which recounts, may.
    const ops: AnyBulkWriteOperation<ThreadDoc>[] = [];
    for (const [threadId, newest] of bumps) {
      const messageCount = await collections.messages.countDocuments({ threadId }, { session });
      ops.push({
        updateOne: {
          filter: { _id: threadId },
          update: { $max: { messageCount, lastMessageAt: newest, activityAt: Math.max(newest, 0) } },
        },
      });
    }
    await collections.threads.bulkWrite(ops, { session, ordered: true });
  }
  const statOps: AnyBulkWriteOperation<CounterDoc>[] = [];
  if (rows !== 0) statOps.push(incrementOp(SEARCH_ROWS, rows));
  if (words !== 0) statOps.push(incrementOp(SEARCH_WORDS, words));
  if (statOps.length > 0) await collections.counters.bulkWrite(statOps, { session, ordered: true });
  return result;
}

function incrementOp(name: string, by: number): AnyBulkWriteOperation<CounterDoc> {
  return { updateOne: { filter: { _id: name }, update: { $inc: { value: by } }, upsert: true } };
}

/**
 * The batch's messages made fields, checked against the stored threads: throws what writeBatch
 * would before writing anything (for work done ahead of its transaction, moveInSteps).
 */
export async function checkBatch(
  collections: Collections,
  batch: WriteBatch,
  session: ClientSession | undefined,
): Promise<MessageFields[]> {
  const messages = (batch.messages ?? []).map(messageToFields);
  await checkThreads(collections, batch.threads ?? [], messages, batch.threadMerges ?? [], session);
  return messages;
}

export async function writeBatch(
  collections: Collections,
  batch: WriteBatch,
  session: ClientSession | undefined,
): Promise<WriteResult> {
  const options = { session, ordered: true };
  const users = batch.users ?? [];
  const threads = batch.threads ?? [];
  // Validated and checked before anything is written, so a standalone server (no transaction) is
  // not left with half a batch by a bad message.
  const messages = await checkBatch(collections, batch, session);
  const merges = batch.threadMerges ?? [];

  if (users.length > 0) await collections.users.bulkWrite(users.map(userOp), options);
  if (threads.length > 0) await collections.threads.bulkWrite(threads.map(threadOp), options);
  if (merges.length > 0) await mergeThreads(collections, merges, session);
  const result = messages.length > 0 ? await writeMessages(collections, messages, session) : null;

  const syncStates = batch.syncStates ?? [];
  if (syncStates.length > 0) {
    const ops: AnyBulkWriteOperation<SyncStateDoc>[] = syncStates.map((state) => {
      const doc = syncStateToDoc(state);
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await collections.syncState.bulkWrite(ops, options);
  }
  const meta = Object.entries(batch.meta ?? {});
  if (meta.length > 0) {
    await collections.meta.bulkWrite(
      meta.map(([name, value]) => ({
        updateOne: { filter: { _id: name }, update: { $set: { value } }, upsert: true },
      })),
      options,
    );
  }
  return result ?? { messagesAdded: 0, addedMessageIds: [] };
}
