// The MongoDB adapter of the Store port (official driver). Chosen with IGTG_DB=mongodb://...
import {
  MongoClient,
  type Filter,
  type FindOptions,
  type ClientSession,
  type Db,
  type MongoClientOptions,
  type ServerHeartbeatFailedEvent,
} from 'mongodb';
import { StoreError, StoreMissingError, errorMessage } from '../../core/errors.js';
import type { Message, Thread, ThreadSummary, User } from '../../core/model.js';
import { redactUrl } from '../open-store.js';
import { normalizeForSearch } from '../search-query.js';
import type {
  AuditEntry,
  BridgeMapping,
  MessageRange,
  MessageStreamOptions,
  OutboxDirection,
  OutboxEntry,
  OutboxEntryInput,
  OutboxStats,
  SearchHit,
  SearchQuery,
  Store,
  StoreCounts,
  SyncState,
  TopicMapping,
  WriteBatch,
  WriteResult,
} from '../store.js';
import { COLLECTION_NAMES, collectionsOf, type Collections } from './collections.js';
import { DEFAULT_DATABASE, databaseFromUrl, hasUrlOption, urlHosts } from './connection-url.js';
import { MESSAGE_SEQ, currentValues } from './counters.js';
import {
  docToAudit,
  docToMapping,
  docToMessage,
  docToSyncState,
  docToThread,
  docToThreadSummary,
  docToTopic,
  docToUser,
  type MessageDoc,
} from './documents.js';
import { migrate } from './migrations.js';
import { openError, operationError } from './mongo-errors.js';
import { MongoOutbox } from './outbox.js';
import { escapeRegex } from './search-filter.js';
import { searchMessages } from './search.js';
import { TRANSACTION_OPTIONS, helloReply, supportsTransactions } from './topology.js';
import { moveInSteps } from './thread-merge.js';
import { checkBatch, writeBatch } from './write-batch.js';

/**
 * How long opening waits for a server, instead of the driver's 30 s: a wrong host fails fast. Only
 * the opening: later operations keep the driver's 30 s to find a primary, which outlasts a replica
 * set's election (up to ~12 s, which Atlas holds during routine maintenance). A
 * serverSelectionTimeoutMS in the URL governs both instead.
 */
export const OPEN_TIMEOUT_MS = 5000;
// Small enough that a slow consumer (the bridge forwarding each message) asks for the next batch
// well within the server's 10-minute idle cursor timeout.
const STREAM_BATCH_SIZE = 200;

/** A caller's row limit: null for none (undefined or not finite), else a whole number >= 0. */
function rowLimit(limit: number | undefined): number | null {
  return limit === undefined || !Number.isFinite(limit) ? null : Math.max(0, Math.floor(limit));
}

/**
 * The query of streamMessages. A blocking sort over more than 100 MB fails on servers before 6.0
 * unless it may use disk, and the planner may sort a `storedAfterSeq` tail found by the seq index.
 */
export function streamFind(options: MessageStreamOptions): { filter: Filter<MessageDoc>; options: FindOptions } {
  const filter: Filter<MessageDoc> = {};
  if (options.threadIds) filter.threadId = { $in: options.threadIds };
  const sentAt: { $gte?: number; $lt?: number } = {};
  if (options.since !== undefined) sentAt.$gte = options.since;
  if (options.until !== undefined) sentAt.$lt = options.until;
  if (Object.keys(sentAt).length > 0) filter.sentAt = sentAt;
  if (options.storedAfterSeq !== undefined) filter.seq = { $gte: options.storedAfterSeq };
  return {
    filter,
    options: { sort: { threadId: 1, sentAt: 1, id: 1 }, batchSize: STREAM_BATCH_SIZE, allowDiskUse: true },
  };
}

/** The filter of listMessages: like SQLite's, with the (sentAt, id) cursor as an $or of its two cases. */
export function listFilter(threadId: string, range: MessageRange): Filter<MessageDoc> {
  const sentAt: { $lt?: number; $lte?: number; $gte?: number } = {};
  if (range.before !== undefined) sentAt.$lt = range.before;
  if (range.since !== undefined) sentAt.$gte = range.since;
  const cursor = range.beforeMessage;
  // $lte keeps the range on the (threadId, sentAt, id) index; the $or drops the cursor's ties from it.
  if (cursor !== undefined) sentAt.$lte = cursor.sentAt;
  const filter: Filter<MessageDoc> = { threadId };
  if (Object.keys(sentAt).length > 0) filter.sentAt = sentAt;
  if (cursor !== undefined) filter.$or = [{ sentAt: { $lt: cursor.sentAt } }, { id: { $lt: cursor.id } }];
  return filter;
}

/** Threads and the sum of their message counters: SQLite's counts(), not the collection metadata. */
export const THREAD_TOTALS = [{ $group: { _id: null, threads: { $sum: 1 }, messages: { $sum: '$messageCount' } } }];

/** counts() from the THREAD_TOTALS result (no document at all when there is no thread). */
export function storeCounts(totals: { threads?: number; messages?: number } | undefined, users: number): StoreCounts {
  return { threads: totals?.threads ?? 0, messages: totals?.messages ?? 0, users };
}

export function clientOptions(url: string): MongoClientOptions {
  const options: MongoClientOptions = {};
  if (!hasUrlOption(url, 'appName')) options.appName = 'igtg';
  return options;
}

/** MongoDB's own databases: no transactions may touch them, and hosted clusters refuse writes there. */
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export interface MongoOpenOptions {
  /** Default OPEN_TIMEOUT_MS; ignored when the URL sets serverSelectionTimeoutMS. */
  openTimeoutMs?: number;
  /** For commands that only read: a database holding no igtg collection is an error, and is not set up. */
  mustExist?: boolean;
}

/** Opens the database named in the URL path, or `igtg` when the URL names none. */
export async function openMongoStore(url: string, options: MongoOpenOptions = {}): Promise<Store> {
  const name = databaseFromUrl(url) ?? DEFAULT_DATABASE;
  if (SYSTEM_DATABASES.has(name.toLowerCase())) {
    throw new StoreError(
      `${redactUrl(url)}: "${name}" is a MongoDB system database; name igtg's own in the URL path ` +
        '(e.g. /igtg) and keep ?authSource=admin for a user created in admin',
    );
  }
  return openMongoStoreAt(url, name, options);
}

/**
 * Connects within `timeoutMs` (the URL's serverSelectionTimeoutMS, if set, governs instead). The
 * error names the last reason a server could not be reached, as the driver's own timeout does.
 */
async function connectWithin(client: MongoClient, url: string, timeoutMs: number): Promise<void> {
  if (hasUrlOption(url, 'serverSelectionTimeoutMS')) {
    await client.connect();
    return;
  }
  let lastFailure: Error | null = null;
  const noteFailure = (event: ServerHeartbeatFailedEvent) => void (lastFailure = event.failure);
  client.on('serverHeartbeatFailed', noteFailure);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = lastFailure ? ` (${errorMessage(lastFailure)})` : '';
      reject(new Error(`no server answered within ${timeoutMs / 1000} s${reason}`));
    }, timeoutMs);
  });
  const connecting = client.connect();
  connecting.catch(() => undefined); // closed by the caller after the deadline
  try {
    await Promise.race([connecting, deadline]);
  } finally {
    clearTimeout(timer);
    client.off('serverHeartbeatFailed', noteFailure);
  }
}

/** Whether igtg ever set up this database (a mistyped name in the URL holds nothing). */
async function holdsIgtgCollections(db: Db): Promise<boolean> {
  const names = await db.listCollections({}, { nameOnly: true }).toArray();
  return names.some((info: { name: string }) => (COLLECTION_NAMES as readonly string[]).includes(info.name));
}

/** Opens a given database of the deployment at `url` (tests use a fresh database per run). */
export async function openMongoStoreAt(
  url: string,
  databaseName: string,
  options: MongoOpenOptions = {},
): Promise<Store> {
  // The driver fails on an empty host (`h1,` or `h1,,h2`) once while connecting, then again from a
  // topology event where no caller can catch it: refuse the typo before it gets that far.
  if (urlHosts(url)?.some((host) => host === '' || host.startsWith(':'))) {
    throw new StoreError(`${redactUrl(url)}: the host list has an empty entry (a stray comma?)`);
  }
  let client: MongoClient;
  try {
    client = new MongoClient(url, clientOptions(url));
  } catch (error) {
    throw openError(error, url);
  }
  try {
    await connectWithin(client, url, options.openTimeoutMs ?? OPEN_TIMEOUT_MS);
    const db = client.db(databaseName);
    const hello = await helloReply(db);
    const collections = collectionsOf(db);
    if (options.mustExist && !(await holdsIgtgCollections(db))) throw new StoreMissingError(redactUrl(url), 'mongodb');
    await migrate(db, collections);
    return new MongoStore(client, collections, supportsTransactions(hello), url);
  } catch (error) {
    await client.close().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw openError(error, url);
  }
}

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly location: string;
  private readonly outbox: MongoOutbox;

  constructor(
    private readonly client: MongoClient,
    private readonly c: Collections,
    /** False on a standalone server, which has no multi-document transactions. */
    private readonly transactions: boolean,
    private readonly url: string,
  ) {
    this.location = redactUrl(url);
    this.outbox = new MongoOutbox(c);
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw operationError(error, this.url);
    }
  }

  /** The tail of this process's writes (see inTurn()). */
  private writes: Promise<unknown> = Promise.resolve();

  /**
   * This process's writes take turns. In a transaction a write increments the shared seq counter
   * early and holds it until it commits, so two at once would conflict (WriteConflict) and retry
   * for up to two minutes. Without transactions a write reserves its seq numbers before its
   * messages land, so a storeSeq() read in between would run ahead of what is stored, and the
   * bridge's forwarder, which scans up to it, would skip those messages for good: there, storeSeq()
   * takes its turn too. Outbox entries take the id they reserved in turn as well, so a lane's
   * entries land in id order and are delivered in it. (Writers in other processes are not covered:
   * a replica set, even of one node, is for seq numbers.)
   */
  private inTurn<T>(operation: () => Promise<T>): Promise<T> {
    const turn = this.writes.then(() => this.run(operation));
    this.writes = turn.catch(() => undefined);
    return turn;
  }

  async close(): Promise<void> {
    // Writes still queued would fail on a closed client (and a standalone server keep half a batch).
    await this.writes;
    await this.client.close();
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    // This store has no messagePacker(): packed messages can only be another store's.
    if (batch.packed !== undefined)
      return Promise.reject(new StoreError('packed messages must come from the store that packed them'));
    return this.inTurn(async () => {
      if (!this.transactions) {
        // Standalone server (hello reports neither setName nor isdbgrid): no multi-document
        // transactions, so the batch is validated first and then applied as ordered bulk writes.
        // A crash part-way leaves a prefix stored (upserts, so re-running the batch completes it,
        // though its messages no longer count as added), and writers in other processes may commit
        // seq numbers out of order. A single-node replica set gives full atomicity.
        return writeBatch(this.c, batch, undefined);
      }
      if (batch.threadMerges?.length) {
        // The steps commit on their own: a batch that would be refused must be refused before them.
        await checkBatch(this.c, batch, undefined);
        await moveInSteps(this.c, batch.threadMerges, (work) => this.transaction(work), { threads: batch.threads });
      }
      return this.transaction((session) => writeBatch(this.c, batch, session));
    });
  }

  private async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(work, TRANSACTION_OPTIONS);
    } finally {
      await session.endSession();
    }
  }

  counts(): Promise<StoreCounts> {
    // Not estimatedDocumentCount(): collection metadata drifts after an unclean shutdown and counts
    // orphans on a sharded cluster. Messages are the threads' counters, as in SQLite.
    return this.run(async () => {
      const [totals] = await this.c.threads.aggregate<{ threads: number; messages: number }>(THREAD_TOTALS).toArray();
      return storeCounts(totals, await this.c.users.countDocuments({}));
    });
  }

  getThread(id: string): Promise<Thread | null> {
    return this.run(async () => {
      const doc = await this.c.threads.findOne({ _id: id });
      return doc ? docToThread(doc) : null;
    });
  }

  findThreads(idOrTitle: string): Promise<Thread[]> {
    return this.run(async () => {
      const exact = await this.c.threads.findOne({ _id: idOrTitle });
      if (exact) return [docToThread(exact)];
      const needle = normalizeForSearch(idOrTitle.trim());
      if (!needle) return [];
      const docs = await this.c.threads
        .find({ titleNorm: { $regex: escapeRegex(needle) } })
        .sort({ activityAt: -1, _id: 1 })
        .toArray();
      return docs.map(docToThread);
    });
  }

  listThreads(options: { limit?: number } = {}): Promise<ThreadSummary[]> {
    return this.run(async () => {
      const limit = rowLimit(options.limit);
      if (limit === 0) return [];
      const cursor = this.c.threads.find({}).sort({ activityAt: -1, _id: 1 });
      if (limit !== null) cursor.limit(limit);
      return (await cursor.toArray()).map(docToThreadSummary);
    });
  }

  getMessage(threadId: string, messageId: string): Promise<Message | null> {
    return this.run(async () => {
      const doc = await this.c.messages.findOne({ threadId, id: messageId });
      return doc ? docToMessage(doc) : null;
    });
  }

  listMessages(threadId: string, range: MessageRange = {}): Promise<Message[]> {
    return this.run(async () => {
      const limit = rowLimit(range.limit);
      if (limit === 0) return [];
      const cursor = this.c.messages.find(listFilter(threadId, range)).sort({ threadId: -1, sentAt: -1, id: -1 });
      if (limit !== null) cursor.limit(limit);
      return (await cursor.toArray()).reverse().map(docToMessage);
    });
  }

  async *streamMessages(options: MessageStreamOptions = {}): AsyncIterable<Message> {
    const query = streamFind(options);
    const cursor = this.c.messages.find(query.filter, query.options);
    try {
      for await (const doc of cursor) yield docToMessage(doc);
    } catch (error) {
      throw operationError(error, this.url);
    } finally {
      await cursor.close();
    }
  }

  storeSeq(): Promise<number> {
    const read = async () => ((await currentValues(this.c, [MESSAGE_SEQ])).get(MESSAGE_SEQ) ?? 0) + 1;
    return this.transactions ? this.run(read) : this.inTurn(read);
  }

  search(query: SearchQuery): Promise<SearchHit[]> {
    return this.run(() => searchMessages(this.c, query));
  }

  listUsers(): Promise<User[]> {
    return this.run(async () => (await this.c.users.find({}).sort({ _id: 1 }).toArray()).map(docToUser));
  }

  getSyncState(key: string): Promise<SyncState | null> {
    return this.run(async () => {
      const doc = await this.c.syncState.findOne({ _id: key });
      return doc ? docToSyncState(doc) : null;
    });
  }

  getMeta(key: string): Promise<string | null> {
    return this.run(async () => (await this.c.meta.findOne({ _id: key }))?.value ?? null);
  }

  setMeta(key: string, value: string | null): Promise<void> {
    return this.run(async () => {
      if (value === null) await this.c.meta.deleteOne({ _id: key });
      else await this.c.meta.updateOne({ _id: key }, { $set: { value } }, { upsert: true });
    });
  }

  enqueue(entry: OutboxEntryInput, now: number = Date.now()): Promise<OutboxEntry> {
    return this.inTurn(() => this.outbox.enqueue(entry, now));
  }

  claimDue(direction: OutboxDirection, now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    return this.run(() => this.outbox.claimDue(direction, now, limit, leaseMs));
  }

  ack(id: number): Promise<void> {
    return this.run(() => this.outbox.ack(id));
  }

  fail(id: number, error: string, nextAttemptAt: number, maxAttempts: number): Promise<OutboxEntry> {
    return this.run(() => this.outbox.fail(id, error, nextAttemptAt, maxAttempts));
  }

  postpone(id: number, error: string, nextAttemptAt: number): Promise<OutboxEntry> {
    return this.run(() => this.outbox.postpone(id, error, nextAttemptAt));
  }

  wakeOutbox(direction: OutboxDirection, now: number): Promise<number> {
    return this.run(() => this.outbox.wake(direction, now));
  }

  releaseLeases(now: number): Promise<number> {
    return this.run(() => this.outbox.releaseLeases(now));
  }

  listDeadLetters(): Promise<OutboxEntry[]> {
    return this.run(() => this.outbox.listDeadLetters());
  }

  retryDeadLetters(now: number): Promise<number> {
    return this.run(() => this.outbox.retryDeadLetters(now));
  }

  outboxStats(): Promise<OutboxStats> {
    return this.run(() => this.outbox.stats());
  }

  putMapping(mapping: BridgeMapping): Promise<void> {
    return this.run(async () => {
      const { telegramChatId, telegramMessageId, ...fields } = mapping;
      await this.c.mappings.updateOne({ telegramChatId, telegramMessageId }, { $set: fields }, { upsert: true });
    });
  }

  findMappingByTelegram(chatId: string, messageId: number): Promise<BridgeMapping | null> {
    return this.run(async () => {
      const doc = await this.c.mappings.findOne({ telegramChatId: chatId, telegramMessageId: messageId });
      return doc ? docToMapping(doc) : null;
    });
  }

  clearMappings(): Promise<void> {
    return this.run(async () => {
      await this.c.mappings.deleteMany({});
    });
  }

  findMappingsByItem(threadId: string, itemId: string): Promise<BridgeMapping[]> {
    return this.run(async () => {
      const docs = await this.c.mappings
        .find({ threadId, itemId })
        .sort({ createdAt: 1, telegramChatId: 1, telegramMessageId: 1 })
        .toArray();
      return docs.map(docToMapping);
    });
  }

  putTopic(topic: TopicMapping): Promise<void> {
    return this.run(async () => {
      const { threadId, telegramChatId, topicId } = topic;
      // A topic shows one thread: a thread that held this topic before loses it.
      await this.c.topics.deleteMany({ telegramChatId, topicId, threadId: { $ne: threadId } });
      await this.c.topics.updateOne({ threadId, telegramChatId }, { $set: { topicId } }, { upsert: true });
    });
  }

  getTopicByThread(threadId: string, chatId: string): Promise<TopicMapping | null> {
    return this.run(async () => {
      const doc = await this.c.topics.findOne({ threadId, telegramChatId: chatId });
      return doc ? docToTopic(doc) : null;
    });
  }

  getTopicById(chatId: string, topicId: number): Promise<TopicMapping | null> {
    return this.run(async () => {
      const doc = await this.c.topics.findOne({ telegramChatId: chatId, topicId });
      return doc ? docToTopic(doc) : null;
    });
  }

  audit(entry: AuditEntry): Promise<void> {
    return this.run(async () => {
      await this.c.audit.insertOne({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        detail: entry.detail ?? null,
      });
    });
  }

  listAudit(limit: number): Promise<AuditEntry[]> {
    return this.run(async () => {
      const rows = rowLimit(limit);
      if (rows === 0) return [];
      const cursor = this.c.audit.find({}).sort({ at: -1, _id: -1 });
      if (rows !== null) cursor.limit(rows);
      return (await cursor.toArray()).map(docToAudit);
    });
  }
}
