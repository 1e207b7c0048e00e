// Versioned schema steps, recorded in `schema_migrations`. Each step only creates collections and
// indexes (both idempotent), so two processes opening a new database at once are harmless.
import { MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { StoreError } from '../../core/errors.js';
import { COLLECTION_NAMES, type Collections } from './collections.js';
import { isDuplicateKey } from './mongo-errors.js';

interface Migration {
  version: number;
  name: string;
  up(db: Db, collections: Collections): Promise<void>;
}

const NAMESPACE_EXISTS = 48;

async function createMissingCollections(db: Db): Promise<void> {
  const existing = new Set(
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((info: { name: string }) => info.name),
  );
  for (const name of COLLECTION_NAMES) {
    if (existing.has(name)) continue;
    try {
      // Explicitly created: a transaction may not be able to create a collection implicitly.
      await db.createCollection(name);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
  }
}

const INDEXES: Array<[keyof Collections, IndexDescription[]]> = [
  [
    'messages',
    [
      { key: { threadId: 1, id: 1 }, name: 'thread_item', unique: true },
      // listMessages and streamMessages (equality on threadId, ordered by time then id).
      { key: { threadId: 1, sentAt: 1, id: 1 }, name: 'thread_time' },
      { key: { senderNorm: 1 }, name: 'sender_norm' },
      { key: { senderId: 1 }, name: 'sender_id' },
      { key: { seq: 1 }, name: 'seq' },
      // Word and prefix search (see search-filter.ts); multikey over the distinct words.
      { key: { tokens: 1 }, name: 'tokens' },
    ],
  ],
  ['threads', [{ key: { activityAt: -1, _id: 1 }, name: 'activity' }]],
  ['audit', [{ key: { at: -1, _id: -1 }, name: 'newest' }]],
  [
    'outbox',
    [
      { key: { dedupeKey: 1 }, name: 'dedupe_key', unique: true },
      // claimDue: the head of each lane of a direction.
      { key: { direction: 1, done: 1, deadLettered: 1, lane: 1, _id: 1 }, name: 'lane_head' },
      { key: { deadLettered: 1, _id: 1 }, name: 'dead_letters' },
      { key: { done: 1, deadLettered: 1 }, name: 'open' },
    ],
  ],
  [
    'mappings',
    [
      { key: { telegramChatId: 1, telegramMessageId: 1 }, name: 'telegram_message', unique: true },
      { key: { threadId: 1, itemId: 1, createdAt: 1 }, name: 'instagram_item' },
    ],
  ],
  [
    'topics',
    [
      { key: { threadId: 1, telegramChatId: 1 }, name: 'thread_chat', unique: true },
      { key: { telegramChatId: 1, topicId: 1 }, name: 'chat_topic', unique: true },
    ],
  ],
];

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'collections and indexes',
    async up(db, collections) {
      await createMissingCollections(db);
      for (const [name, indexes] of INDEXES) await collections[name].createIndexes(indexes);
    },
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

export async function migrate(db: Db, collections: Collections, now: number = Date.now()): Promise<void> {
  const applied = new Set(
    (await collections.migrations.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id),
  );
  const newest = Math.max(0, ...applied);
  if (newest > SCHEMA_VERSION) {
    throw new StoreError(
      `the MongoDB store has schema version ${newest}, newer than this igtg understands (${SCHEMA_VERSION}); upgrade igtg`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await migration.up(db, collections);
    try {
      await collections.migrations.insertOne({ _id: migration.version, name: migration.name, appliedAt: now });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // another process recorded it first
    }
  }
}
