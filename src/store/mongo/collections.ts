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

export function collectionsOf(db: Db): Collections {
  return {
    users: db.collection<UserDoc>('users'),
    threads: db.collection<ThreadDoc>('threads'),
    messages: db.collection<MessageDoc>('messages'),
    syncState: db.collection<SyncStateDoc>('sync_state'),
    meta: db.collection<MetaDoc>('meta'),
    outbox: db.collection<OutboxDoc>('outbox'),
    mappings: db.collection<MappingDoc>('mappings'),
    topics: db.collection<TopicDoc>('topics'),
    audit: db.collection<AuditDoc>('audit'),
    counters: db.collection<CounterDoc>('counters'),
    migrations: db.collection<MigrationDoc>('schema_migrations'),
  };
}
