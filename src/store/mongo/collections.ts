import type { Collection, Db } from 'mongodb';
import type {
  AuditDoc,
  CounterDoc,
  MappingDoc,
  MessageDoc,
  MetaDoc,
  MigrationDoc,
  OutboxDoc,
  SyncStateDoc,
  ThreadDoc,
  TopicDoc,
  UserDoc,
} from './documents.js';

export const COLLECTION_NAMES = [
  'users',
  'threads',
  'messages',
  'sync_state',
  'meta',
  'outbox',
  'mappings',
  'topics',
  'audit',
  'counters',
  'schema_migrations',
] as const;

export interface Collections {
  users: Collection<UserDoc>;
  threads: Collection<ThreadDoc>;
  messages: Collection<MessageDoc>;
  syncState: Collection<SyncStateDoc>;
  meta: Collection<MetaDoc>;
  outbox: Collection<OutboxDoc>;
  mappings: Collection<MappingDoc>;
  topics: Collection<TopicDoc>;
  audit: Collection<AuditDoc>;
  counters: Collection<CounterDoc>;
  migrations: Collection<MigrationDoc>;
}

/**
 * Every read goes to the primary whatever the URL's `readPreference`: the store's callers read what
 * they just wrote (the outbox re-reads an entry to record a failure, enqueue re-reads a dedupe key),
 * which a lagging secondary may not have yet.
 */
const PRIMARY = { readPreference: 'primary' } as const;

export function collectionsOf(db: Db): Collections {
  return {
    users: db.collection<UserDoc>('users', PRIMARY),
    threads: db.collection<ThreadDoc>('threads', PRIMARY),
    messages: db.collection<MessageDoc>('messages', PRIMARY),
    syncState: db.collection<SyncStateDoc>('sync_state', PRIMARY),
    meta: db.collection<MetaDoc>('meta', PRIMARY),
    outbox: db.collection<OutboxDoc>('outbox', PRIMARY),
    mappings: db.collection<MappingDoc>('mappings', PRIMARY),
    topics: db.collection<TopicDoc>('topics', PRIMARY),
    audit: db.collection<AuditDoc>('audit', PRIMARY),
    counters: db.collection<CounterDoc>('counters', PRIMARY),
    migrations: db.collection<MigrationDoc>('schema_migrations', PRIMARY),
  };
}
