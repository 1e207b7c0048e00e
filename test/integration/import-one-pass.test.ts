// An import into SQLite reads each file once, in one store transaction (import-one-pass.ts). It
// must give exactly what the careful two-pass way gives, and leave nothing behind when it fails.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ARCHIVE_OWNER_META,
  importArchive,
  type ImportOptions,
  type ImportProgressEvent,
} from '../../src/archive/import-archive.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store, WriteBatch, WriteResult } from '../../src/store/store.js';
import { TINY_JPEG, currentLayoutFiles, metaJson, writeTree, type Files } from '../fixtures/archive/build-archive.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { collect } from '../store/fixtures.js';

const { fresh } = tempFolder('igtg-one-pass-');
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

async function newStore(writerThread = true): Promise<Store> {
  const store = await openSqliteStore(join(fresh('store'), 'igtg.db'), { writerThread });
  stores.push(store);
  return store;
}

/** The store without bulk transactions: the importer takes the two-pass way. */
function careful(store: Store): Store {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'beginBulk') return undefined;
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The store, with its `failOn`-th write failing as a full disk would. */
function failing(store: Store, failOn: number): Store {
  let writes = 0;
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'write') {
        return (batch: WriteBatch): Promise<WriteResult> => {
          writes += 1;
          if (writes === failOn) return Promise.reject(new Error('the disk holding the store is full'));
          return target.write(batch);
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function run(store: Store, files: Files, options: Partial<ImportOptions> = {}) {
  const phases: string[] = [];
  const onProgress = (event: ImportProgressEvent) => {
    if (event.type === 'phase') phases.push(event.phase);
  };
  const summary = await importArchive({
    path: writeTree(fresh('archive'), files),
    store,
    mediaDir: null,
    timeZone: 'UTC',
    onProgress,
    ...options,
  });
  return { summary, phases };
}

async function contents(store: Store) {
  const threads = (await store.listThreads()).sort((a, b) => a.id.localeCompare(b.id));
  const messages = await collect(store.streamMessages());
  return { threads, messages, counts: await store.counts(), owner: await store.getMeta(ARCHIVE_OWNER_META) };
}

describe('an import in one pass', () => {
  it('stores exactly what the two-pass way stores, media included, without a checking phase', async () => {
    const media = fresh('media');
    const fast = await newStore();
    const slow = await newStore();
    const one = await run(fast, currentLayoutFiles(), { mediaDir: media, batchSize: 4 });
    const two = await run(careful(slow), currentLayoutFiles(), { mediaDir: media, batchSize: 4 });
    expect(one.phases).toEqual(['importing', 'indexing', 'saving']);
    // The careful way into a store without bulk transactions commits batch by batch: nothing to save at the end.
    expect(two.phases).toEqual(['checking', 'importing', 'indexing']);
    expect(one.summary).toEqual(two.summary);
    expect(one.summary.mediaFiles).toBeGreaterThan(0);
    expect(await contents(fast)).toEqual(await contents(slow));
    // Searchable, as the last write indexed everything the others left.
    expect((await fast.search({ text: 'こんにちは', sort: 'newest', limit: 10 })).length).toBe(1);
  });

  it('adds nothing on a second run', async () => {
    const store = await newStore(false);
    await run(store, currentLayoutFiles(), { batchSize: 4 });
    const before = await contents(store);
    const again = await run(store, currentLayoutFiles(), { batchSize: 4 });
    expect(again.phases[0]).toBe('importing');
    expect(again.summary.messagesAdded).toBe(0);
    expect(await contents(store)).toEqual(before);
  });

  it('commits nothing, and removes the media it copied, when a file late in the archive is bad', async () => {
    const store = await newStore();
    const media = fresh('media');
    const files = currentLayoutFiles();
    // Threads are read in folder order: Zoë's photos and videos have been copied by then.
    files['your_instagram_activity/messages/inbox/zz_last_1/message_1.json'] = metaJson({
      participants: [{ name: 'x' }, { name: 'Alex Kim' }],
      messages: [{ sender_name: 'x', timestamp_ms: 'yesterday' }],
    });
    const failure = run(store, files, { mediaDir: media, batchSize: 2 });
    await expect(failure).rejects.toThrow(/zz_last_1\/message_1\.json/);
    expect((await store.counts()).messages).toBe(0);
    expect(await store.listThreads()).toEqual([]);
    // The folder was made: media were copied, then removed, with their <sha[0:2]> folders.
    expect(readdirSync(media)).toEqual([]);
  });

  it.each([
    ['in one pass', false],
    ['the careful way (--skip-bad)', true],
  ])(
    'commits nothing when the store fails part way %s, and says nothing about running it again',
    async (_, skipBad) => {
      const real = await newStore();
      const failure = run(failing(real, 3), currentLayoutFiles(), { batchSize: 2, skipBad });
      await expect(failure).rejects.toThrow(/^the disk holding the store is full$/);
      expect((await real.counts()).messages).toBe(0);
      expect(await real.getMeta(ARCHIVE_OWNER_META)).toBeNull();
      // The store is usable afterwards: the transaction was rolled back, not left open.
      const again = await run(real, currentLayoutFiles(), { batchSize: 2 });
      expect(again.summary.messagesAdded).toBe(again.summary.messagesRead);
    },
  );

  it('removes the media copied before starting over the careful way, when the careful way fails too', async () => {
    const real = await newStore();
    await real.write({ meta: { [ARCHIVE_OWNER_META]: 'Bea' } });
    const media = fresh('media');
    const files: Files = {
      'messages/inbox/bea_1/photos/p.jpg': TINY_JPEG,
      'messages/inbox/bea_1/message_1.json': metaJson({
        participants: [{ name: 'Bea' }, { name: 'Ann' }],
        messages: [
          {
            sender_name: 'Bea',
            timestamp_ms: 1700000001000,
            photos: [{ uri: 'messages/inbox/bea_1/photos/p.jpg', creation_timestamp: 1700000001 }],
          },
        ],
        title: 'Bea',
        thread_path: 'inbox/bea_1',
      }),
    };
    // The one pass writes nothing before it finds the owner is not the one it guessed; the careful
    // way's first write fails.
    const failure = run(failing(real, 1), files, { mediaDir: media });
    await expect(failure).rejects.toThrow(/^the disk holding the store is full$/);
    const left = readdirSync(media, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(left).toEqual([]);
    expect((await run(real, files, { mediaDir: media })).summary).toMatchObject({ owner: 'Ann', mediaFiles: 1 });
  });

  it('closes its transaction when something fails before the careful way writes anything', async () => {
    const store = await newStore();
    const onProgress = (event: ImportProgressEvent) => {
      if (event.type === 'phase' && event.phase === 'importing') throw new Error('the progress bar broke');
    };
    await expect(run(store, currentLayoutFiles(), { skipBad: true, onProgress })).rejects.toThrow(
      'the progress bar broke',
    );
    // A transaction left open would make this one fail to begin.
    const again = await run(store, currentLayoutFiles(), { skipBad: true });
    expect(again.summary.messagesAdded).toBe(again.summary.messagesRead);
  });

  it('starts over the careful way when the whole archive names another owner than the heads of its files', async () => {
    // Both people are in every thread; an earlier import said "Bea" is the owner, so the heads
    // guess her. The 1:1 thread is titled "Bea", so she is the other side: the owner is Ann.
    const store = await newStore();
    await store.write({ meta: { [ARCHIVE_OWNER_META]: 'Bea' } });
    const files: Files = {
      'messages/inbox/bea_1/message_1.json': metaJson({
        participants: [{ name: 'Bea' }, { name: 'Ann' }],
        messages: [
          { sender_name: 'Ann', timestamp_ms: 1700000002000, content: 'from the owner' },
          { sender_name: 'Bea', timestamp_ms: 1700000001000, content: 'to the owner' },
        ],
        title: 'Bea',
        thread_path: 'inbox/bea_1',
      }),
    };
    const { summary, phases } = await run(store, files);
    expect(phases).toEqual(['importing', 'checking', 'importing', 'saving']);
    expect(summary).toMatchObject({ owner: 'Ann', messagesRead: 2, messagesAdded: 2 });
    const messages = await collect(store.streamMessages());
    expect(messages.map((message) => [message.text, message.fromMe])).toEqual([
      ['to the owner', false],
      ['from the owner', true],
    ]);
    expect(await store.getMeta(ARCHIVE_OWNER_META)).toBe('Ann');
  });
});
