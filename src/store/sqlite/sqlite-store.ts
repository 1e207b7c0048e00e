// The SQLite adapter of the Store port (better-sqlite3, WAL). better-sqlite3 is synchronous; every
// method runs to completion before returning its promise, and SQLite failures become StoreErrors.
import type { EpochMs, Message, Thread, ThreadSummary, User } from '../../core/model.js';
import type {
  AuditEntry,
  BridgeMapping,
  BulkTransaction,
  MessagePacker,
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
import { bulkStep } from './bulk.js';
import { Connection } from './connection.js';
import { directLoadPragmas, endDirectLoad, startDirectLoad } from './direct-load.js';
import { guarded } from './errors.js';
import * as mappings from './mappings.js';
import * as messages from './message-queries.js';
import * as meta from './meta.js';
import { DEFAULT_BUSY_TIMEOUT_MS, type OpenOptions, openDatabase } from './open-database.js';
import * as outbox from './outbox.js';
import { RowPacker } from './row-codec.js';
import { search } from './search.js';
import * as threads from './thread-queries.js';
import { indexLeftovers, writeBatch } from './write-batch.js';
import { WriterThread } from './writer-thread.js';
import type { BulkStep } from './writer-protocol.js';

export type { OpenOptions } from './open-database.js';

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly writer: WriterThread | null,
    /** Written without the WAL until closed (direct-load.ts). */
    private readonly directLoad = false,
  ) {}

  get location(): string {
    return this.conn.file;
  }

  private run<T>(action: (conn: Connection) => T): Promise<T> {
    try {
      return Promise.resolve(guarded(this.conn.file, () => action(this.conn)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer?.close();
    try {
      // Without waiting: another process's long write (an import) would hold up every read command.
      this.conn.db.pragma('busy_timeout = 0');
      if (this.directLoad) endDirectLoad(this.conn.db);
      this.conn.db.pragma('analysis_limit = 400');
      this.conn.db.pragma('optimize');
    } catch {
      // Best effort: statistics are an optimisation and must not turn a clean exit into a failure.
    }
    this.conn.db.close();
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    if (this.writer) return this.writer.write(batch);
    return this.run((conn) => writeBatch(conn, batch));
  }

  messagePacker(): MessagePacker {
    return new RowPacker();
  }

  async beginBulk(): Promise<BulkTransaction> {
    const step = (which: BulkStep): Promise<void> =>
      this.writer ? this.writer.bulk(which) : this.run((conn) => bulkStep(conn, which));
    await step('begin');
    return { commit: () => step('commit'), rollback: () => step('rollback') };
  }

  counts(): Promise<StoreCounts> {
    return this.run(threads.counts);
  }

  getThread(id: string): Promise<Thread | null> {
    return this.run((conn) => threads.getThread(conn, id));
  }

  findThreads(idOrTitle: string): Promise<Thread[]> {
    return this.run((conn) => threads.findThreads(conn, idOrTitle));
  }

  listThreads(options: { limit?: number } = {}): Promise<ThreadSummary[]> {
    return this.run((conn) => threads.listThreads(conn, options.limit));
  }

  getMessage(threadId: string, messageId: string): Promise<Message | null> {
    return this.run((conn) => messages.getMessage(conn, threadId, messageId));
  }

  listMessages(threadId: string, range?: MessageRange): Promise<Message[]> {
    return this.run((conn) => messages.listMessages(conn, threadId, range));
  }

  streamMessages(options?: MessageStreamOptions): AsyncIterable<Message> {
    return messages.streamMessages(this.conn, options);
  }

  storeSeq(): Promise<number> {
    return this.run(messages.storeSeq);
  }

  search(query: SearchQuery): Promise<SearchHit[]> {
    return this.run((conn) => {
      indexLeftovers(conn);
      return search(conn, query);
    });
  }

  listUsers(): Promise<User[]> {
    return this.run(threads.listUsers);
  }

  getSyncState(key: string): Promise<SyncState | null> {
    return this.run((conn) => meta.getSyncState(conn, key));
  }

  getMeta(key: string): Promise<string | null> {
    return this.run((conn) => meta.getMeta(conn, key));
  }

  setMeta(key: string, value: string | null): Promise<void> {
    return this.run((conn) => meta.setMeta(conn, key, value));
  }

  enqueue(entry: OutboxEntryInput, now: EpochMs = Date.now()): Promise<OutboxEntry> {
    return this.run((conn) => outbox.enqueue(conn, entry, now));
  }

  claimDue(direction: OutboxDirection, now: EpochMs, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    return this.run((conn) => outbox.claimDue(conn, direction, now, limit, leaseMs));
  }

  ack(id: number): Promise<void> {
    return this.run((conn) => outbox.ack(conn, id));
  }

  fail(id: number, error: string, nextAttemptAt: EpochMs, maxAttempts: number): Promise<OutboxEntry> {
    return this.run((conn) => outbox.fail(conn, id, error, nextAttemptAt, maxAttempts));
  }

  postpone(id: number, error: string, nextAttemptAt: EpochMs): Promise<OutboxEntry> {
    return this.run((conn) => outbox.postpone(conn, id, error, nextAttemptAt));
  }

  wakeOutbox(direction: OutboxDirection, now: EpochMs): Promise<number> {
    return this.run((conn) => outbox.wakeOutbox(conn, direction, now));
  }

  releaseLeases(now: EpochMs): Promise<number> {
    return this.run((conn) => outbox.releaseLeases(conn, now));
  }

  listDeadLetters(): Promise<OutboxEntry[]> {
    return this.run(outbox.listDeadLetters);
  }

  retryDeadLetters(now: EpochMs): Promise<number> {
    return this.run((conn) => outbox.retryDeadLetters(conn, now));
  }

  outboxStats(): Promise<OutboxStats> {
    return this.run(outbox.outboxStats);
  }

  putMapping(mapping: BridgeMapping): Promise<void> {
    return this.run((conn) => mappings.putMapping(conn, mapping));
  }

  findMappingByTelegram(chatId: string, messageId: number): Promise<BridgeMapping | null> {
    return this.run((conn) => mappings.findMappingByTelegram(conn, chatId, messageId));
  }

  findMappingsByItem(threadId: string, itemId: string): Promise<BridgeMapping[]> {
    return this.run((conn) => mappings.findMappingsByItem(conn, threadId, itemId));
  }

  clearMappings(): Promise<void> {
    return this.run((conn) => mappings.clearMappings(conn));
  }

  putTopic(topic: TopicMapping): Promise<void> {
    return this.run((conn) => mappings.putTopic(conn, topic));
  }

  getTopicByThread(threadId: string, chatId: string): Promise<TopicMapping | null> {
    return this.run((conn) => mappings.getTopicByThread(conn, threadId, chatId));
  }

  getTopicById(chatId: string, topicId: number): Promise<TopicMapping | null> {
    return this.run((conn) => mappings.getTopicById(conn, chatId, topicId));
  }

  audit(entry: AuditEntry): Promise<void> {
    return this.run((conn) => meta.audit(conn, entry));
  }

  listAudit(limit: number): Promise<AuditEntry[]> {
    return this.run((conn) => meta.listAudit(conn, limit));
  }
}

/** Opens (creating and migrating if needed) the SQLite store at `file`. Throws StoreError when it cannot. */
export async function openSqliteStore(file: string, options: OpenOptions = {}): Promise<Store> {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = openDatabase(file, { ...options, busyTimeoutMs });
  const threaded = options.writerThread === true && !db.memory;
  const direct = threaded && options.directLoad === true && startDirectLoad(db, busyTimeoutMs);
  if (direct) directLoadPragmas(db);
  return new SqliteStore(
    new Connection(db, file, busyTimeoutMs),
    threaded ? new WriterThread(file, busyTimeoutMs, direct) : null,
    direct,
  );
}
