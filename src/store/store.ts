// The Store port. Two adapters implement it (sqlite/, mongo/) and one contract suite
// (test/store/contract.ts) holds both to the same behaviour.
import type { EpochMs, Message, Thread, ThreadSummary, User } from '../core/model.js';

export type StoreKind = 'sqlite' | 'mongodb';

/** One unit of work written atomically: all of it is stored or none of it. */
export interface WriteBatch {
  users?: User[];
  threads?: Thread[];
  messages?: Message[];
  /** In place of `messages`: messages packed by this store's messagePacker(). */
  packed?: MessagePacker;
  syncStates?: SyncState[];
  meta?: Record<string, string>;
  /**
   * Threads folded into others (an archive thread into its API thread), applied in order after
   * `threads` are upserted and before `messages`: every message of `from` moves to `into` (a
   * message whose id `into` already holds is dropped), `into`'s counters are recomputed, `from`'s
   * sync state is deleted, its bridge and topic mappings move to `into` (a topic of a chat `into`
   * already has a topic in is dropped), and thread `from` is deleted. Moved messages get a new
   * `storeSeq` number (so exports since a mark see them under their new thread). `from === into` and
   * a `from` that is not stored are no-ops; `into` must be stored (in this batch or before), and
   * messages of this batch may not name a merged-away `from`. Outbox entries are not touched.
   */
  threadMerges?: ThreadMerge[];
  /**
   * A bulk writer's hint (an import's batches but its last): new messages may become searchable
   * only with the next write without this flag, which then indexes them all in one pass. Stores
   * that index as they write ignore it.
   */
  deferSearchIndex?: boolean;
}

/**
 * Packs messages one by one into a store's own write format, for bulk writers (an import): a
 * message packed as soon as it is made is garbage at once, instead of being kept (and copied by
 * the garbage collector) until its batch of thousands is written. add() checks the message and
 * throws the StoreError write() would.
 */
export interface MessagePacker {
  readonly count: number;
  add(message: Message): void;
}

export interface BulkTransaction {
  /** Waits for the writes before it, then makes them all durable at once. */
  commit(): Promise<void>;
  /** Waits for the writes before it, then undoes them all. */
  rollback(): Promise<void>;
}

export interface ThreadMerge {
  from: string;
  into: string;
}

export interface WriteResult {
  /** Messages that did not exist before this batch. */
  messagesAdded: number;
  /** Message ids that did not exist before this batch (for forwarding new items). */
  addedMessageIds: string[];
}

export interface SearchQuery {
  /** Raw user query; adapters parse it with `parseSearchQuery` and never pass it to the engine verbatim. */
  text: string;
  threadIds?: string[];
  /** Matches sender display name or username, case- and diacritic-insensitively. */
  from?: string;
  since?: EpochMs;
  until?: EpochMs;
  sort?: 'relevance' | 'newest' | 'oldest';
  limit?: number;
}

export interface SearchHit {
  threadId: string;
  threadTitle: string;
  message: Message;
  /** Text with the matched words wrapped in `[` … `]` markers (see SNIPPET_OPEN/SNIPPET_CLOSE). */
  snippet: string;
  /** Higher is better. */
  score: number;
}

/**
 * Relevance ranks at most this many matches (or `limit`, if larger), the newest first: a word found
 * in more messages than this is ranked among its newest matches only. Bounds a search's time and
 * memory whatever the store's size; both adapters use it.
 */
export const RELEVANCE_WINDOW = 5000;

export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';

/** A message's place in a thread's order: by time, then by id for messages of the same millisecond. */
export interface MessageCursor {
  sentAt: EpochMs;
  id: string;
}

export interface MessageRange {
  limit?: number;
  /** Only messages sent strictly before this time. */
  before?: EpochMs;
  /**
   * Only messages strictly before this one in (sentAt, id) order: pages back from the oldest message
   * of a page without skipping the others of its millisecond (archive times are often whole seconds).
   * Ids compare as binary strings.
   */
  beforeMessage?: MessageCursor;
  /** Only messages sent at or after this time. */
  since?: EpochMs;
}

export interface MessageStreamOptions {
  threadIds?: string[];
  since?: EpochMs;
  until?: EpochMs;
  /** Only messages whose row was stored at or after this sequence number (see `storeSeq`). */
  storedAfterSeq?: number;
}

export interface SyncState {
  /** Thread id, or `@inbox` / `@pending` for the inbox walks. */
  key: string;
  /** Cursor to continue walking older pages; null when the walk finished. */
  olderCursor: string | null;
  /** Newest item id stored for the thread. */
  newestItemId: string | null;
  newestItemAt: EpochMs | null;
  /** True once the whole history was walked at least once. */
  complete: boolean;
  updatedAt: EpochMs;
}

export type OutboxDirection = 'to_telegram' | 'to_instagram';

export interface OutboxEntryInput {
  direction: OutboxDirection;
  /** Unique per logical delivery; enqueueing an existing key is a no-op returning the existing entry. */
  dedupeKey: string;
  /** Entries of the same lane are delivered in order (one Instagram thread, one Telegram chat). */
  lane: string;
  payload: unknown;
  /** Kept with the entry so a retry after a crash re-sends with the same idempotency key. */
  clientContext?: string | null;
}

export interface OutboxEntry extends OutboxEntryInput {
  id: number;
  clientContext: string | null;
  attempts: number;
  nextAttemptAt: EpochMs;
  lastError: string | null;
  deadLettered: boolean;
  createdAt: EpochMs;
  /** While claimed, nobody else may claim it until this time. */
  leaseUntil: EpochMs | null;
}

export interface OutboxStats {
  pending: number;
  deadLettered: number;
}

export interface BridgeMapping {
  telegramChatId: string;
  telegramMessageId: number;
  threadId: string;
  /** The Instagram item shown by this Telegram message (null for headers/notes). */
  itemId: string | null;
  direction: OutboxDirection;
  createdAt: EpochMs;
}

export interface TopicMapping {
  threadId: string;
  telegramChatId: string;
  topicId: number;
}

export interface AuditEntry {
  at: EpochMs;
  actor: string;
  action: string;
  detail: string | null;
}

export interface StoreCounts {
  threads: number;
  messages: number;
  users: number;
}

export interface Store {
  readonly kind: StoreKind;
  /** Human-readable location without credentials (a file path or a redacted URL). */
  readonly location: string;
  close(): Promise<void>;

  // --- writes ---
  write(batch: WriteBatch): Promise<WriteResult>;
  /** Optional: stores without it take `WriteBatch.messages` only. */
  messagePacker?(): MessagePacker;
  /**
   * Optional: one transaction that every write() of this store object joins until it is committed
   * or rolled back — a bulk writer's all or nothing (an import). Writers of other processes wait
   * for it (the busy timeout); readers keep seeing what was committed before it.
   */
  beginBulk?(): Promise<BulkTransaction>;

  // --- reads ---
  counts(): Promise<StoreCounts>;
  getThread(id: string): Promise<Thread | null>;
  /** Threads whose id equals `idOrTitle`, or whose title contains it (case/diacritic-insensitive). */
  findThreads(idOrTitle: string): Promise<Thread[]>;
  /** Threads ordered by newest activity first. */
  listThreads(options?: { limit?: number }): Promise<ThreadSummary[]>;
  getMessage(threadId: string, messageId: string): Promise<Message | null>;
  /** The newest `limit` messages of the range, returned oldest first. */
  listMessages(threadId: string, range?: MessageRange): Promise<Message[]>;
  /** Every matching message, ordered by thread then time; bounded memory whatever the size. */
  streamMessages(options?: MessageStreamOptions): AsyncIterable<Message>;
  /** A sequence number that grows with every stored message write; pairs with `storedAfterSeq`. */
  storeSeq(): Promise<number>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  listUsers(): Promise<User[]>;

  // --- sync state and small key/value metadata ---
  getSyncState(key: string): Promise<SyncState | null>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string | null): Promise<void>;

  // --- outbox ---
  enqueue(entry: OutboxEntryInput, now?: EpochMs): Promise<OutboxEntry>;
  /** Claims due, non-dead-lettered entries of a direction: at most one per lane, the oldest of each lane. */
  claimDue(direction: OutboxDirection, now: EpochMs, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  ack(id: number): Promise<void>;
  /** Records a failure; dead-letters the entry once `attempts >= maxAttempts`. Returns the updated entry. */
  fail(id: number, error: string, nextAttemptAt: EpochMs, maxAttempts: number): Promise<OutboxEntry>;
  /**
   * Releases a claimed entry until `nextAttemptAt` without counting an attempt: the service asked
   * to wait (a rate limit), which says nothing against the entry itself.
   */
  postpone(id: number, error: string, nextAttemptAt: EpochMs): Promise<OutboxEntry>;
  /**
   * Makes the waiting entries of `direction` (pending, not leased, next attempt later than `now`)
   * due at `now`, attempts unchanged: the way they waited for is open again. Returns how many.
   */
  wakeOutbox(direction: OutboxDirection, now: EpochMs): Promise<number>;
  /**
   * Frees every lease still running at `now` on an open entry, in both directions: for a bridge
   * starting after its predecessor was killed mid-delivery (only one bridge runs per store, so
   * nobody else holds them). Returns how many.
   */
  releaseLeases(now: EpochMs): Promise<number>;
  listDeadLetters(): Promise<OutboxEntry[]>;
  /** Moves every dead letter back to pending, due now; returns how many. */
  retryDeadLetters(now: EpochMs): Promise<number>;
  outboxStats(): Promise<OutboxStats>;

  // --- bridge mappings ---
  putMapping(mapping: BridgeMapping): Promise<void>;
  findMappingByTelegram(chatId: string, messageId: number): Promise<BridgeMapping | null>;
  findMappingsByItem(threadId: string, itemId: string): Promise<BridgeMapping[]>;
  /** Forgets every bridge mapping (the bot changed: its message ids mean nothing to the next one). */
  clearMappings(): Promise<void>;
  putTopic(topic: TopicMapping): Promise<void>;
  getTopicByThread(threadId: string, chatId: string): Promise<TopicMapping | null>;
  getTopicById(chatId: string, topicId: number): Promise<TopicMapping | null>;

  // --- audit log ---
  audit(entry: AuditEntry): Promise<void>;
  listAudit(limit: number): Promise<AuditEntry[]>;
}
