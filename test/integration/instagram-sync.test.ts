// The sync engine with the real adapter and the real SQLite store against the fake Instagram.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusMeta } from '../../src/core/status-meta.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/model.js';
import { dyingAfter } from '../helpers/dying-client.js';
import type { InstagramConnection } from '../../src/instagram/connect.js';
import { FeedbackRequiredError } from '../../src/instagram/errors.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runSync } from '../../src/sync/sync-engine.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';
import { connectLoggedInToFake } from '../helpers/instagram-login.js';

let fake: FakeInstagram;
let dir: string;
let store: Store;
let connection: InstagramConnection;

async function storedIds(): Promise<Map<string, string[]>> {
  const byThread = new Map<string, string[]>();
  for await (const message of store.streamMessages()) {
    byThread.set(message.threadId, [...(byThread.get(message.threadId) ?? []), message.id]);
  }
  return byThread;
}

async function expectSameAsFake(): Promise<void> {
  const stored = await storedIds();
  const expected = fake.state.allItemIds();
  expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [threadId, ids] of expected) expect([...(stored.get(threadId) ?? [])].sort()).toEqual([...ids].sort());
}

function sync(extra: Partial<Parameters<typeof runSync>[0]> = {}) {
  return runSync({ client: connection.client, store, requests: () => fake.requests.length, ...extra });
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 8, items: 45, pending: 2 } });
  fake.state.inboxPageSize = 3;
  dir = mkdtempSync(join(tmpdir(), 'igtg-sync-'));
  store = await openSqliteStore(join(dir, 'igtg.db'));
  const env = { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1' };
  connection = await connectLoggedInToFake(env);
  fake.requests.length = 0;
});

afterEach(async () => {
  await connection.close();
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('first sync', () => {
  it('stores every thread, request, user and item, each item type mapped', async () => {
    const summary = await sync();
    await expectSameAsFake();
    expect(summary).toMatchObject({ threads: 8, threads_updated: 8, messages_added: 8 * 45 });
    expect(summary.requests).toBe(fake.requests.length);
    const threads = await store.listThreads();
    expect(threads.filter((thread) => thread.isRequest)).toHaveLength(2);
    expect(threads.find((thread) => thread.isGroup)?.participants.length).toBe(2);
    expect((await store.listUsers()).map((user) => user.username)).toContain('friend.1');
    // The bridge tells the owner's own reactions by it.
    expect(await store.getMeta(StatusMeta.instagramViewerId)).toBe(fake.state.viewer.pk);

    const kinds = new Set<string>();
    const all: Message[] = [];
    for await (const message of store.streamMessages()) {
      kinds.add(message.kind);
      all.push(message);
    }
    expect([...kinds].sort()).toEqual([
      'audio',
      'gif',
      'like',
      'link',
      'photo',
      'placeholder',
      'share',
      'system',
      'text',
      'unsupported',
      'video',
    ]);
    const unknown = all.find((message) => message.kind === 'unsupported')!;
    expect(JSON.parse(unknown.raw!).item_type).toBe('unknown_future_type');
    expect(all.some((message) => message.replyTo !== null)).toBe(true);
    expect(all.some((message) => message.reactions[0]?.emoji === '😂')).toBe(true);
    expect(all.filter((message) => message.fromMe).length).toBeGreaterThan(0);
  });

  it('costs at most 2 requests when nothing is new, then fetches only what is new', async () => {
    await sync();
    fake.requests.length = 0;
    const idle = await sync();
    expect(idle).toMatchObject({ messages_added: 0, threads_updated: 0 });
    expect(fake.requests.length).toBeLessThanOrEqual(2);

    const threads = [...fake.state.threads.values()];
    const quiet = threads.find((thread) => !thread.pending)!;
    fake.state.addItem(quiet, { text: 'one new' });
    for (let i = 0; i < 25; i += 1) fake.state.addItem(threads[threads.length - 1]!, { text: `burst ${i}` });
    fake.requests.length = 0;
    const next = await sync();
    expect(next).toMatchObject({ messages_added: 26, threads_updated: 2 });
    await expectSameAsFake();
    // inbox + pending inbox, the burst thread's older page (the inbox carries the 10 newest): 3 requests.
    expect(fake.requests.length).toBe(3);
  });

  it('resumes after being killed at any point without a gap or a duplicate', async () => {
    for (const calls of [1, 3, 6, 10]) {
      await expect(sync({ client: dyingAfter(connection.client, calls) })).rejects.toThrow('killed');
      expect((await store.counts()).messages).toBeLessThan(8 * 45);
    }
    await sync();
    await expectSameAsFake();
    expect((await store.counts()).messages).toBe(8 * 45);
  });

  it('continues an inbox walk cut off on its first run from its cursor, after one page from the top', async () => {
    // 6 inbox pages of 3 (18 threads + 2 requests): the first run dies after reading two of them.
    for (let i = 0; i < 10; i += 1) {
      const user = fake.state.addUser({ username: `extra.${i}` });
      fake.state.addItem(fake.state.addThread({ users: [user] }), { text: `hello ${i}` });
    }
    await expect(sync({ client: dyingAfter(connection.client, 2) })).rejects.toThrow('killed');
    fake.requests.length = 0;
    await sync();
    await expectSameAsFake();
    const inboxReads = fake.requests.filter((request) => request.path.endsWith('/direct_v2/inbox/'));
    // The first page finds threads that moved to the top meanwhile; the walked pages are not read again.
    expect(inboxReads.map((request) => request.query.cursor ?? null).filter((cursor) => cursor === null)).toHaveLength(
      1,
    );
    expect(inboxReads).toHaveLength(5);
    // Activity at the top since then is found by the next run.
    const late = fake.state.addUser({ username: 'late.one' });
    fake.state.addItem(fake.state.addThread({ users: [late] }), { text: 'new at the top' });
    fake.state.addItem([...fake.state.threads.values()][0]!, { text: 'and in an old thread' });
    await sync();
    await expectSameAsFake();
  });

  it('--thread with an id Instagram does not know: an error, nothing stored; a stored one gone: a warning', async () => {
    await expect(sync({ threadIds: ['123456789'] })).rejects.toThrow('no Instagram thread with id 123456789');
    expect(await store.getSyncState('123456789')).toBeNull();

    await sync();
    const [gone] = [...fake.state.threads.keys()];
    fake.state.threads.delete(gone!);
    const warnings: string[] = [];
    await sync({ threadIds: [gone!], onWarning: (warning) => warnings.push(warning) });
    expect(warnings).toEqual([`thread ${gone} is gone from Instagram; keeping what is stored`]);
    expect(await store.getThread(gone!)).not.toBeNull();
  });

  it('notices a request accepted in the app without new activity, however far down the inbox', async () => {
    const asker = fake.state.addUser({ username: 'old.asker' });
    const accepted = fake.state.addThread({ users: [asker], pending: true });
    fake.state.addItem(accepted, { text: 'an old request', timestampUs: 1_000_000 });
    accepted.last_activity_at = 1_000_000;
    await sync();
    expect((await store.getThread(accepted.thread_id))?.isRequest).toBe(true);
    // Accepted in the app: it moves to the bottom of the inbox, below where the scan stops.
    accepted.pending = false;
    fake.state.addItem(fake.state.listThreads(false)[0]!, { text: 'on top' });
    fake.requests.length = 0;
    await sync();
    expect((await store.getThread(accepted.thread_id))?.isRequest).toBe(false);
    const stillPending = fake.state.listThreads(true).map((thread) => thread.thread_id);
    for (const id of stillPending) expect((await store.getThread(id))?.isRequest).toBe(true);
    // A declined request (gone from Instagram) is no longer one either.
    const declined = fake.state.listThreads(true)[0]!;
    fake.state.threads.delete(declined.thread_id);
    await sync();
    expect((await store.getThread(declined.thread_id))?.isRequest).toBe(false);
    // Each looked up once: the next idle run costs the inbox and the pending inbox only.
    fake.requests.length = 0;
    await sync();
    expect(fake.requests.length).toBe(2);
  });

  it('stops on feedback_required and continues later from where it stopped', async () => {
    fake.state.failNext(1, 'feedback_required', /direct_v2\/threads\//);
    await expect(sync()).rejects.toBeInstanceOf(FeedbackRequiredError);
    const partial = (await store.counts()).messages;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(8 * 45);
    await sync();
    await expectSameAsFake();
  });

  it('stops between threads when its profile lock is taken, keeping what it synced', async () => {
    let checks = 0;
    const taken = new Error('lock taken');
    const checkLock = async () => {
      checks += 1;
      if (checks === 3) throw taken;
    };
    await expect(sync({ checkLock })).rejects.toBe(taken);
    const partial = (await store.counts()).messages;
    expect(partial).toBeGreaterThanOrEqual(2 * 45);
    expect(partial).toBeLessThan(8 * 45);
    await sync({ checkLock: async () => undefined });
    await expectSameAsFake();
  });

  it('--full re-walks every thread, --thread limits to one', async () => {
    await sync();
    fake.requests.length = 0;
    const full = await sync({ full: true });
    expect(full.messages_added).toBe(0);
    // 45 items each: 10 from the inbox, then pages of 20 and 15.
    expect(fake.count(/direct_v2\/threads\/\d+/)).toBe(16);

    const [thread] = fake.state.threads.values();
    fake.state.addItem(thread!, { text: 'only here' });
    fake.requests.length = 0;
    const one = await sync({ threadIds: [thread!.thread_id] });
    expect(one.messages_added).toBe(1);
    expect(fake.requests.every((request) => request.path.includes(thread!.thread_id))).toBe(true);
  });

  it('downloads media into the content-addressed folder with --media', async () => {
    const summary = await sync({ mediaDir: join(dir, 'media') });
    expect(summary.media_downloaded).toBeGreaterThan(0);
    const photos: Message[] = [];
    for await (const message of store.streamMessages()) if (message.kind === 'photo') photos.push(message);
    expect(photos[0]!.media[0]!.path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
  });

  it('--media skips a media file whose host cannot be reached, storing the messages around it', async () => {
    await sync();
    const thread = fake.state.listThreads(false)[0]!;
    const photo = fake.state.addItem(thread, { kind: 'photo' }) as {
      media: { image_versions2: { candidates: Array<{ url: string }> } };
    };
    for (const candidate of photo.media.image_versions2.candidates) candidate.url = 'http://127.0.0.1:9/dead.jpg';
    fake.state.addItem(thread, { text: 'after the dead photo' });
    const warnings: string[] = [];
    const summary = await sync({ mediaDir: join(dir, 'media'), onWarning: (warning) => warnings.push(warning) });
    expect(summary.messages_added).toBe(2);
    await expectSameAsFake();
    // The host that failed is named, not the API's.
    expect(warnings).toEqual([expect.stringMatching(/not downloaded \(cannot reach Instagram at 127\.0\.0\.1:9\b/)]);
  });

  it('--media later fetches what a sync without it left, and a re-walk keeps the files linked', async () => {
    await sync();
    const photoPaths = async () => {
      const paths: Array<string | null> = [];
      for await (const message of store.streamMessages())
        if (message.kind === 'photo') paths.push(message.media[0]?.path ?? null);
      return paths;
    };
    expect((await photoPaths()).every((path) => path === null)).toBe(true);

    let withUrl = 0;
    for await (const message of store.streamMessages()) withUrl += message.media.filter((m) => m.url).length;
    const withMedia = await sync({ mediaDir: join(dir, 'media') });
    expect(withMedia.messages_added).toBe(0);
    expect(withMedia.media_downloaded).toBe(withUrl);
    const kept = await photoPaths();
    expect(kept.every((path) => path !== null)).toBe(true);

    await sync({ full: true });
    expect(await photoPaths()).toEqual(kept);
    const again = await sync({ mediaDir: join(dir, 'media') });
    expect(again.media_downloaded).toBe(0);
  });
});
