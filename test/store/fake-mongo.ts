// An in-memory stand-in for the MongoDB collection calls the adapter's writeBatch and mergeThreads
// make (no server). It enforces what the server would: unique indexes (threadId, id) on messages
// and (threadId, telegramChatId) on topics, an immutable _id, one operator per updated path, a
// session on every call of a transaction, no empty bulk write.
import { ObjectId, type ClientSession, type Document } from 'mongodb';
import type { Collections } from '../../src/store/mongo/collections.js';
import { writeBatch } from '../../src/store/mongo/write-batch.js';
import type { WriteBatch } from '../../src/store/store.js';

function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Document[]).some((f) => matches(doc, f));
    if (condition !== null && typeof condition === 'object' && !(condition instanceof ObjectId)) {
      if ('$in' in condition) return (condition.$in as unknown[]).includes(doc[field]);
      if ('$ne' in condition) return doc[field] !== condition.$ne;
      throw new Error(`unexpected condition ${JSON.stringify(condition)}`);
    }
    if (condition instanceof ObjectId) return condition.equals(doc[field] as ObjectId);
    return doc[field] === condition;
  });
}

function apply(doc: Document, update: Document, inserting: boolean): void {
  const paths = Object.values(update).flatMap((fields: Document) => Object.keys(fields));
  if (new Set(paths).size !== paths.length) throw new Error(`conflicting update paths in ${JSON.stringify(update)}`);
  if (paths.includes('_id')) throw new Error('_id is immutable');
  for (const [operator, fields] of Object.entries(update) as Array<[string, Document]>) {
    for (const [field, value] of Object.entries(fields)) {
      if (operator === '$set') doc[field] = structuredClone(value);
      else if (operator === '$setOnInsert') {
        if (inserting) doc[field] = structuredClone(value);
      } else if (operator === '$max') {
        if (doc[field] === undefined || doc[field] === null || (value as number) > (doc[field] as number))
          doc[field] = value;
      } else if (operator === '$inc') doc[field] = ((doc[field] as number | undefined) ?? 0) + (value as number);
      else throw new Error(`unexpected operator ${operator}`);
    }
  }
}

function compare(a: Document, b: Document, sort: Record<string, 1 | -1>): number {
  for (const [field, direction] of Object.entries(sort)) {
    if (a[field] < b[field]) return -direction;
    if (a[field] > b[field]) return direction;
  }
  return 0;
}

class FakeCollection {
  docs: Document[] = [];

  constructor(
    private readonly tx: { session: ClientSession | undefined },
    private readonly unique: string[] | null = null,
  ) {}

  private check(options: Document | undefined): void {
    if (this.tx.session && options?.session !== this.tx.session) throw new Error('a call left the transaction');
  }

  private checkUnique(): void {
    if (!this.unique) return;
    const keys = this.docs.map((doc) => this.unique!.map((field) => doc[field]).join('\u0000'));
    if (new Set(keys).size !== keys.length) throw new Error('E11000 duplicate key');
  }

  private upsert(filter: Document, update: Document, upsert: boolean): { upsertedId?: unknown; doc?: Document } {
    const found = this.docs.find((doc) => matches(doc, filter));
    if (found) {
      apply(found, update, false);
      this.checkUnique();
      return { doc: found };
    }
    if (!upsert) return {};
    const doc: Document = { _id: new ObjectId(), ...structuredClone(filter) };
    apply(doc, update, true);
    this.docs.push(doc);
    this.checkUnique();
    return { upsertedId: doc._id, doc };
  }

  find(filter: Document, options?: Document) {
    this.check(options);
    const found = () =>
      this.docs
        .filter((doc) => matches(doc, filter))
        .slice(0, (options?.limit as number | undefined) || undefined)
        .map((doc) => structuredClone(doc));
    return {
      toArray: async () => found(),
      close: async () => undefined,
      async *[Symbol.asyncIterator]() {
        yield* found();
      },
    };
  }

  async findOne(filter: Document, options?: Document) {
    this.check(options);
    const found = this.docs.filter((doc) => matches(doc, filter));
    if (options?.sort) found.sort((a, b) => compare(a, b, options.sort as Record<string, 1 | -1>));
    return found[0] ? structuredClone(found[0]) : null;
  }

  async insertOne(doc: Document, options?: Document) {
    this.check(options);
    this.docs.push(structuredClone(doc));
    this.checkUnique();
    return { insertedId: doc._id };
  }

  async countDocuments(filter: Document, options?: Document) {
    this.check(options);
    return this.docs.filter((doc) => matches(doc, filter)).length;
  }

  async updateOne(filter: Document, update: Document, options?: Document) {
    this.check(options);
    this.upsert(filter, update, options?.upsert === true);
  }

  async updateMany(filter: Document, update: Document, options?: Document) {
    this.check(options);
    const found = this.docs.filter((doc) => matches(doc, filter));
    for (const doc of found) apply(doc, update, false);
    this.checkUnique();
    return { modifiedCount: found.length };
  }

  async deleteOne(filter: Document, options?: Document) {
    this.check(options);
    const index = this.docs.findIndex((doc) => matches(doc, filter));
    if (index >= 0) this.docs.splice(index, 1);
  }

  async deleteMany(filter: Document, options?: Document) {
    this.check(options);
    this.docs = this.docs.filter((doc) => !matches(doc, filter));
  }

  async bulkWrite(ops: Document[], options?: Document) {
    this.check(options);
    if (ops.length === 0) throw new Error('the driver rejects an empty bulk write');
    const upsertedIds: Record<number, unknown> = {};
    ops.forEach((op, index) => {
      if (op.updateOne) {
        const { upsertedId } = this.upsert(op.updateOne.filter, op.updateOne.update, op.updateOne.upsert === true);
        if (upsertedId) upsertedIds[index] = upsertedId;
      } else if (op.replaceOne) {
        const { filter, replacement } = op.replaceOne;
        this.docs = this.docs.filter((doc) => !matches(doc, filter));
        this.docs.push(structuredClone(replacement));
      } else throw new Error('unexpected bulk operation');
    });
    return { upsertedIds, upsertedCount: Object.keys(upsertedIds).length };
  }

  async findOneAndUpdate(filter: Document, update: Document, options: Document) {
    this.check(options);
    if (options.returnDocument !== 'after') throw new Error('findOneAndUpdate must return the document after');
    const { doc } = this.upsert(filter, update, options.upsert === true);
    return doc ? structuredClone(doc) : null;
  }
}

/** The adapter's collections as fakes, and a write like MongoStore.write's. */
export function fakeMongo() {
  const tx: { session: ClientSession | undefined } = { session: undefined };
  const fakes = {
    users: new FakeCollection(tx),
    threads: new FakeCollection(tx),
    messages: new FakeCollection(tx, ['threadId', 'id']),
    syncState: new FakeCollection(tx),
    meta: new FakeCollection(tx),
    counters: new FakeCollection(tx),
    mappings: new FakeCollection(tx),
    topics: new FakeCollection(tx, ['threadId', 'telegramChatId']),
    outbox: new FakeCollection(tx, ['dedupeKey']),
  };
  const collections = fakes as unknown as Collections;
  /** Writes like MongoStore.write inside a transaction: every call must carry the session. */
  const write = (batch: WriteBatch) => {
    const session = {} as ClientSession;
    tx.session = session;
    return writeBatch(collections, batch, session).finally(() => {
      tx.session = undefined;
    });
  };
  /** Runs `work` as MongoStore's transactions do: every call must carry its session. */
  const inTransaction = async <T>(work: (session: ClientSession) => Promise<T>): Promise<T> => {
    const session = {} as ClientSession;
    tx.session = session;
    try {
      return await work(session);
    } finally {
      tx.session = undefined;
    }
  };
  return { fakes, collections, write, inTransaction };
}

export const counter = (fakes: ReturnType<typeof fakeMongo>['fakes'], name: string) =>
  fakes.counters.docs.find((doc) => doc._id === name)?.value as number | undefined;
