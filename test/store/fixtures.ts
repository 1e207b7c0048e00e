// Builders of model records for the store contract; every field is set so round trips compare whole.
import type { Message, Thread, User } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';

export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** 2024-03-01T12:00:00.000Z */
export const T0 = Date.UTC(2024, 2, 1, 12);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function thread(id: string, fields: Partial<Thread> = {}): Thread {
  return {
    id,
    title: `Thread ${id}`,
    isGroup: false,
    isRequest: false,
    participants: [{ userId: null, name: `Person ${id}`, username: null }],
    lastActivityAt: null,
    source: 'archive',
    archiveFolder: null,
    ...fields,
  };
}

/** A thread of the API source without participants, as the bridge and write tests use. */
export function apiThread(id: string, fields: Partial<Thread> = {}): Thread {
  return thread(id, { participants: [], source: 'api', ...fields });
}

export function message(threadId: string, id: string, fields: Partial<Message> = {}): Message {
  return {
    id,
    threadId,
    senderId: null,
    senderName: 'Alice',
    sentAt: T0,
    kind: 'text',
    text: `message ${id}`,
    media: [],
    share: null,
    replyTo: null,
    reactions: [],
    unsent: false,
    fromMe: false,
    source: 'archive',
    clientContext: null,
    raw: null,
    ...fields,
  };
}

/** A photo message with every field set: media, share, reply, reaction, sender id, client context, raw. */
export function fullMessage(threadId: string, id: string, fields: Partial<Message> = {}): Message {
  return message(threadId, id, {
    senderId: 'u1',
    senderName: 'Zoë Müller',
    sentAt: T0 + 123,
    kind: 'photo',
    text: 'look 👨‍👩‍👧‍👦 مرحبا 日本語',
    media: [
      {
        kind: 'photo',
        url: 'https://x/y.jpg',
        path: 'ab/cd.jpg',
        name: 'y.jpg',
        mime: 'image/jpeg',
        width: 10,
        height: 20,
        durationMs: null,
      },
    ],
    share: { url: 'https://example.com', text: 'shared', owner: 'someone' },
    replyTo: 'i0',
    reactions: [{ emoji: '❤️', actor: 'Max', actorId: null, at: T0 + 200 }],
    fromMe: true,
    source: 'api',
    clientContext: 'cc-1',
    raw: `{"item_id":"${id}"}`,
    ...fields,
  });
}

export function user(id: string, fields: Partial<User> = {}): User {
  return { id, username: null, fullName: null, profilePicUrl: null, ...fields };
}

/** `count` messages of one thread, one minute apart from T0, ids m000, m001, ... */
export function series(
  threadId: string,
  count: number,
  fields: (index: number) => Partial<Message> = () => ({}),
): Message[] {
  return Array.from({ length: count }, (_, index) =>
    message(threadId, `m${String(index).padStart(3, '0')}`, { sentAt: T0 + index * MINUTE, ...fields(index) }),
  );
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Runs `body` with a freshly opened store and always cleans up. */
export function withStore(open: OpenStore, body: (store: Store) => Promise<void>): () => Promise<void> {
  return async () => {
    const { store, cleanup } = await open();
    try {
      await body(store);
    } finally {
      await cleanup();
    }
  };
}
