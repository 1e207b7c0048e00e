// The outbox on MongoDB. Claims are single-document conditional updates, so two bridge processes
// never hold the same entry: whoever's findOneAndUpdate matches the unleased entry first wins.
// Acked entries are kept (done) so their dedupe key keeps a re-enqueue from delivering twice.
import { StoreError } from '../../core/errors.js';
import type { OutboxDirection, OutboxEntry, OutboxEntryInput, OutboxStats } from '../store.js';
import type { Collections } from './collections.js';
import { OUTBOX_ID, reserve } from './counters.js';
import { docToOutboxEntry, newOutboxDoc, type OutboxDoc } from './documents.js';
import { isDuplicateKey } from './mongo-errors.js';

const MAX_FAIL_ROUNDS = 20;

export class MongoOutbox {
  constructor(private readonly collections: Collections) {}

  private get outbox() {
    return this.collections.outbox;
  }

  async enqueue(input: OutboxEntryInput, now: number): Promise<OutboxEntry> {
    const existing = await this.outbox.findOne({ dedupeKey: input.dedupeKey });
    if (existing) return docToOutboxEntry(existing);
    const doc = newOutboxDoc(await reserve(this.collections, OUTBOX_ID, 1), input, now);
    try {
      await this.outbox.insertOne(doc);
      return docToOutboxEntry(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Someone enqueued the same key between our lookup and insert: theirs is the entry.
      const winner = await this.outbox.findOne({ dedupeKey: input.dedupeKey });
      if (!winner) throw error;
      return docToOutboxEntry(winner);
    }
  }

  async claimDue(direction: OutboxDirection, now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const most = Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER;
    if (!(most > 0)) return [];
    // The head (oldest pending entry) of each lane; a lane whose head is leased or not yet due waits,
    // so entries of one lane are delivered strictly in order. A long backlog (a bot blocked for weeks)
    // may pass the 100 MB a $sort or $group may hold in memory: those spill to disk rather than fail.
    const heads = await this.outbox
      .aggregate<{ _id: string; head: OutboxDoc }>(
        [
          { $match: { direction, done: false, deadLettered: false } },
          { $sort: { lane: 1, _id: 1 } },
          { $group: { _id: '$lane', head: { $first: '$$ROOT' } } },
          {
            $match: {
              'head.nextAttemptAt': { $lte: now },
              $or: [{ 'head.leaseUntil': null }, { 'head.leaseUntil': { $lte: now } }],
            },
          },
          { $sort: { 'head._id': 1 } },
          { $limit: most },
        ],
        { allowDiskUse: true },
      )
      .toArray();
    const claimed: OutboxEntry[] = [];
    for (const { head } of heads) {
      const doc = await this.outbox.findOneAndUpdate(
        {
          _id: head._id,
          done: false,
          deadLettered: false,
          nextAttemptAt: { $lte: now },
          $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }],
        },
        { $set: { leaseUntil: now + leaseMs } },
        { returnDocument: 'after' },
      );
      if (!doc) continue;
      // An older entry of the lane may have appeared since the heads were read (another process's
      // enqueue that reserved its id first, a dead letter retried): the lane waits for it.
      const older = await this.outbox.findOne(
        { direction, lane: doc.lane, done: false, deadLettered: false, _id: { $lt: doc._id } },
        { projection: { _id: 1 } },
      );
      if (older) {
        await this.outbox.updateOne({ _id: doc._id, leaseUntil: now + leaseMs }, { $set: { leaseUntil: null } });
        continue;
      }
      claimed.push(docToOutboxEntry(doc));
    }
    return claimed;
  }

  async ack(id: number): Promise<void> {
    await this.outbox.updateOne({ _id: id }, { $set: { done: true, leaseUntil: null } });
  }

  async fail(id: number, error: string, nextAttemptAt: number, maxAttempts: number): Promise<OutboxEntry> {
    // Optimistic update keyed on the attempt count read, so concurrent failures both count.
    for (let round = 0; round < MAX_FAIL_ROUNDS; round++) {
      const current = await this.outbox.findOne({ _id: id });
      if (!current) throw new StoreError(`outbox entry ${id} does not exist`);
      const attempts = current.attempts + 1;
      const updated = await this.outbox.findOneAndUpdate(
        { _id: id, attempts: current.attempts },
        {
          $set: {
            attempts,
            lastError: error,
            nextAttemptAt,
            leaseUntil: null,
            deadLettered: current.deadLettered || attempts >= maxAttempts,
          },
        },
        { returnDocument: 'after' },
      );
      if (updated) return docToOutboxEntry(updated);
    }
    throw new StoreError(`outbox entry ${id} kept changing while recording a failure`);
  }

  async postpone(id: number, error: string, nextAttemptAt: number): Promise<OutboxEntry> {
    const updated = await this.outbox.findOneAndUpdate(
      { _id: id },
      { $set: { lastError: error, nextAttemptAt, leaseUntil: null } },
      { returnDocument: 'after' },
    );
    if (!updated) throw new StoreError(`outbox entry ${id} does not exist`);
    return docToOutboxEntry(updated);
  }

  async wake(direction: OutboxDirection, now: number): Promise<number> {
    const result = await this.outbox.updateMany(
      {
        direction,
        done: false,
        deadLettered: false,
        nextAttemptAt: { $gt: now },
        $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }],
      },
      { $set: { nextAttemptAt: now } },
    );
    return result.modifiedCount;
  }

  async releaseLeases(now: number): Promise<number> {
    const result = await this.outbox.updateMany(
      { done: false, leaseUntil: { $gt: now } },
      { $set: { leaseUntil: null } },
    );
    return result.modifiedCount;
  }

  async listDeadLetters(): Promise<OutboxEntry[]> {
    return (await this.outbox.find({ deadLettered: true }).sort({ _id: 1 }).toArray()).map(docToOutboxEntry);
  }

  async retryDeadLetters(now: number): Promise<number> {
    const result = await this.outbox.updateMany(
      { deadLettered: true },
      { $set: { deadLettered: false, attempts: 0, nextAttemptAt: now, leaseUntil: null } },
    );
    return result.matchedCount;
  }

  async stats(): Promise<OutboxStats> {
    const pending = await this.outbox.countDocuments({ done: false, deadLettered: false });
    const deadLettered = await this.outbox.countDocuments({ deadLettered: true });
    return { pending, deadLettered };
  }
}
