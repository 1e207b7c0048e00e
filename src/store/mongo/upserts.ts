// Upserts of users and threads keyed on their ids, where an unknown (null) field never erases a
// known one: the batch's own (write-batch.ts), and a merge's `into` thread stored ahead of a long
// merge (thread-merge.ts).
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Thread, User } from '../../core/model.js';
import { threadToFields, userToDoc, type ThreadDoc, type UserDoc } from './documents.js';

/** Splits fields into a $set of the known values and a $setOnInsert of the null ones. */
function coalescingUpdate(fields: Record<string, unknown>): Document {
  const set: Document = {};
  const onInsert: Document = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) onInsert[name] = null;
    else set[name] = value;
  }
  const update: Document = {};
  if (Object.keys(set).length > 0) update.$set = set;
  if (Object.keys(onInsert).length > 0) update.$setOnInsert = onInsert;
  return update;
}

export function userOp(user: User): AnyBulkWriteOperation<UserDoc> {
  const { _id, ...fields } = userToDoc(user);
  return { updateOne: { filter: { _id }, update: coalescingUpdate(fields), upsert: true } };
}

export function threadOp(thread: Thread): AnyBulkWriteOperation<ThreadDoc> {
  const { _id, lastActivityAt, archiveFolder, ...fields } = threadToFields(thread);
  const update = coalescingUpdate({ ...fields, archiveFolder });
  // lastActivityAt only moves forward; activityAt = max(lastActivityAt ?? 0, lastMessageAt ?? 0).
  // (On insert $max just sets the value: a pre-1970 time must not take activityAt below 0.)
  update.$max =
    lastActivityAt === null ? { activityAt: 0 } : { lastActivityAt, activityAt: Math.max(lastActivityAt, 0) };
  update.$setOnInsert = {
    ...update.$setOnInsert,
    messageCount: 0,
    lastMessageAt: null,
    ...(lastActivityAt === null ? { lastActivityAt: null } : {}),
  };
  return { updateOne: { filter: { _id }, update, upsert: true } };
}
