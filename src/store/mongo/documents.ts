// Document shapes of each collection and their mapping to and from igtg's model. Derived fields
// (normalized copies for search and filters) are computed here and never read back into the model.
import type { ObjectId } from 'mongodb';
import type { Message, Participant, Thread, ThreadSummary, User } from '../../core/model.js';
import { normalizeForSearch } from '../search-query.js';
import type {
  AuditEntry,
  BridgeMapping,
  OutboxDirection,
  OutboxEntry,
  OutboxEntryInput,
  SyncState,
  TopicMapping,
} from '../store.js';

export interface UserDoc {
  _id: string;
  username: string | null;
  fullName: string | null;
  profilePicUrl: string | null;
  usernameNorm: string | null;
  fullNameNorm: string | null;
}

export interface ThreadDoc {
  _id: string;
  title: string;
  titleNorm: string;
  isGroup: boolean;
  isRequest: boolean;
  participants: Participant[];
  lastActivityAt: number | null;
  source: Thread['source'];
  archiveFolder: string | null;
  // Kept by write-batch.ts in the same transaction as the messages.
  messageCount: number;
  lastMessageAt: number | null;
  /** max(lastActivityAt ?? 0, lastMessageAt ?? 0): the listing order, as SQLite's threads_activity. */
  activityAt: number;
}

export interface MessageDoc {
  _id?: ObjectId;
  threadId: string;
  id: string;
  senderId: string | null;
  senderName: string;
  senderNorm: string;
  sentAt: number;
  kind: Message['kind'];
  text: string | null;
  media: Message['media'];
  share: Message['share'];
  replyTo: string | null;
  reactions: Message['reactions'];
  unsent: boolean;
  fromMe: boolean;
  source: Message['source'];
  clientContext: string | null;
  raw: string | null;
  // Search fields, one per searchable column (text, share text) as in SQLite's messages_fts.
  /** Normalized words of the text, space-joined with a space at both ends. */
  searchText: string;
  /** Normalized words of the share text, the same way. */
  shareSearchText: string;
  /** The distinct words of both (multikey index for word and prefix search). */
  tokens: string[];
  /** Words in both columns: the document length for ranking. */
  wordCount: number;
  /** Has a text or a share text (null is not searchable, '' is): counts as a row for ranking. */
  searchable: boolean;
  /** Store sequence number, renewed whenever the stored content changes. */
  seq: number;
}

export interface SyncStateDoc {
  _id: string;
  olderCursor: string | null;
  newestItemId: string | null;
  newestItemAt: number | null;
  complete: boolean;
  updatedAt: number;
}

export interface MetaDoc {
  _id: string;
  value: string;
}

export interface CounterDoc {
  _id: string;
  value: number;
}

export interface OutboxDoc {
  _id: number;
  direction: OutboxDirection;
  dedupeKey: string;
  lane: string;
  /** JSON text, so a payload reads back exactly as SQLite's does (no BSON-specific types or keys). */
  payload: string;
  clientContext: string | null;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  deadLettered: boolean;
  /** Acked entries are kept so their dedupe key still stops a second delivery. */
  done: boolean;
  createdAt: number;
  leaseUntil: number | null;
}

export interface MappingDoc extends BridgeMapping {
  _id?: ObjectId;
}

export interface TopicDoc extends TopicMapping {
  _id?: ObjectId;
}

export interface AuditDoc extends AuditEntry {
  _id?: ObjectId;
}

export interface MigrationDoc {
  _id: number;
  name: string;
  appliedAt: number;
}

/** A plain JSON copy: what SQLite's JSON columns would give back (undefined dropped, no prototypes). */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ES2024's String.prototype.toWellFormed (Node ≥ 20), not in the ES2023 library types.
const toWellFormed = (value: string): string => (value as unknown as { toWellFormed(): string }).toWellFormed();

/**
 * `value` with every lone surrogate (half an emoji cut off) replaced by U+FFFD, as BSON stores it.
 * What is compared with a stored document must be what the server hands back, or the same message
 * would count as changed on every sync (SQLite's UTF-8 makes the same replacement on both sides).
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return toWellFormed(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => wellFormed(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[toWellFormed(key)] = wellFormed(item);
    return copy as T;
  }
  return value;
}

function normOrNull(value: string | null): string | null {
  return value ? normalizeForSearch(value) : null;
}

export function userToDoc(user: User): UserDoc {
  return {
    _id: user.id,
    username: user.username ?? null,
    fullName: user.fullName ?? null,
    profilePicUrl: user.profilePicUrl ?? null,
    usernameNorm: normOrNull(user.username),
    fullNameNorm: normOrNull(user.fullName),
  };
}

export function docToUser(doc: UserDoc): User {
  return {
    id: doc._id,
    username: doc.username ?? null,
    fullName: doc.fullName ?? null,
    profilePicUrl: doc.profilePicUrl ?? null,
  };
}

/** The model fields of a thread; the statistics are the store's. */
export type ThreadFields = Omit<ThreadDoc, 'messageCount' | 'lastMessageAt' | 'activityAt'>;

export function threadToFields(thread: Thread): ThreadFields {
  return {
    _id: thread.id,
    title: thread.title,
    titleNorm: normalizeForSearch(thread.title),
    isGroup: thread.isGroup,
    isRequest: thread.isRequest,
    participants: jsonClone(thread.participants ?? []),
    lastActivityAt: thread.lastActivityAt ?? null,
    source: thread.source,
    archiveFolder: thread.archiveFolder ?? null,
  };
}

export function docToThread(doc: ThreadDoc): Thread {
  return {
    id: doc._id,
    title: doc.title,
    isGroup: doc.isGroup,
    isRequest: doc.isRequest,
    participants: doc.participants ?? [],
    lastActivityAt: doc.lastActivityAt ?? null,
    source: doc.source,
    archiveFolder: doc.archiveFolder ?? null,
  };
}

export function docToThreadSummary(doc: ThreadDoc): ThreadSummary {
  return { ...docToThread(doc), messageCount: doc.messageCount ?? 0, lastMessageAt: doc.lastMessageAt ?? null };
}

export function docToMessage(doc: MessageDoc): Message {
  return {
    id: doc.id,
    threadId: doc.threadId,
    senderId: doc.senderId ?? null,
    senderName: doc.senderName,
    sentAt: doc.sentAt,
    kind: doc.kind,
    text: doc.text ?? null,
    // Nested parts read back as written (JSON-shaped), like SQLite's JSON columns.
    media: doc.media ?? [],
    share: doc.share ?? null,
    replyTo: doc.replyTo ?? null,
    reactions: doc.reactions ?? [],
    unsent: doc.unsent === true,
    fromMe: doc.fromMe === true,
    source: doc.source,
    clientContext: doc.clientContext ?? null,
    raw: doc.raw ?? null,
  };
}

export function syncStateToDoc(state: SyncState): SyncStateDoc {
  return {
    _id: state.key,
    olderCursor: state.olderCursor,
    newestItemId: state.newestItemId,
    newestItemAt: state.newestItemAt,
    complete: state.complete,
    updatedAt: state.updatedAt,
  };
}

export function docToSyncState(doc: SyncStateDoc): SyncState {
  return {
    key: doc._id,
    olderCursor: doc.olderCursor ?? null,
    newestItemId: doc.newestItemId ?? null,
    newestItemAt: doc.newestItemAt ?? null,
    complete: doc.complete === true,
    updatedAt: doc.updatedAt,
  };
}

export function newOutboxDoc(id: number, input: OutboxEntryInput, now: number): OutboxDoc {
  return {
    _id: id,
    direction: input.direction,
    dedupeKey: input.dedupeKey,
    lane: input.lane,
    payload: JSON.stringify(input.payload ?? null),
    clientContext: input.clientContext ?? null,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    deadLettered: false,
    done: false,
    createdAt: now,
    leaseUntil: null,
  };
}

export function docToOutboxEntry(doc: OutboxDoc): OutboxEntry {
  return {
    id: doc._id,
    direction: doc.direction,
    dedupeKey: doc.dedupeKey,
    lane: doc.lane,
    payload: JSON.parse(doc.payload) as unknown,
    clientContext: doc.clientContext ?? null,
    attempts: doc.attempts,
    nextAttemptAt: doc.nextAttemptAt,
    lastError: doc.lastError ?? null,
    deadLettered: doc.deadLettered === true,
    createdAt: doc.createdAt,
    leaseUntil: doc.leaseUntil ?? null,
  };
}

export function docToMapping(doc: MappingDoc): BridgeMapping {
  return {
    telegramChatId: doc.telegramChatId,
    telegramMessageId: doc.telegramMessageId,
    threadId: doc.threadId,
    itemId: doc.itemId ?? null,
    direction: doc.direction,
    createdAt: doc.createdAt,
  };
}

export function docToTopic(doc: TopicDoc): TopicMapping {
  return { threadId: doc.threadId, telegramChatId: doc.telegramChatId, topicId: doc.topicId };
}

export function docToAudit(doc: AuditDoc): AuditEntry {
  return { at: doc.at, actor: doc.actor, action: doc.action, detail: doc.detail ?? null };
}
