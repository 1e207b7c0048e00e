// `igtg sync` through the built binary against the fake Instagram (build first): a few hundred
// messages of every type, kill -9 mid-sync and resume, an idle sync, a 429 storm, a block.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { BIN, loginToFake, runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

let fake: FakeInstagram;
let home: string;
let cleanup: () => void;

const THREADS = 24;
const ITEMS = 17;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1', ...extra };
}

function igtg(args: string[], extra: Record<string, string> = {}) {
  return runIgtg(args, { home, env: env(extra) });
}

const withStore = <T>(action: (store: Store) => Promise<T>) => withProfileStore(home, action);

/** Stored message ids per thread equal the fake's, with no duplicate. */
async function expectSameAsFake(): Promise<void> {
  const stored = await withStore(async (store) => {
    const ids: string[] = [];
    for await (const message of store.streamMessages()) ids.push(`${message.threadId}/${message.id}`);
    return ids;
  });
  const expected = [...fake.state.allItemIds()].flatMap(([threadId, ids]) => ids.map((id) => `${threadId}/${id}`));
  expect(new Set(stored).size).toBe(stored.length);
  expect(stored.sort()).toEqual(expected.sort());
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: THREADS, items: ITEMS, pending: 3 } });
  fake.state.inboxPageSize = 5;
  fake.state.threadPageSize = 4;
  ({ home, cleanup } = tempHome('igtg-sync-'));
  const login = await loginToFake(home, env());
  expect(login.exitCode).toBe(0);
  fake.requests.length = 0;
});

afterEach(async () => {
  await fake.close();
  cleanup();
});

describe('igtg sync', () => {
  it('syncs every thread and item type, then an idle sync costs at most 2 requests', async () => {
    const first = await igtg(['sync', '--json']);
    expect(first.exitCode).toBe(0);
    const summary = JSON.parse(String(first.stdout)) as Record<string, number>;
    expect(summary).toMatchObject({ threads: THREADS, threads_updated: THREADS, messages_added: THREADS * ITEMS });
    expect(summary.requests).toBe(fake.requests.length);
    expect(Object.keys(summary).sort()).toEqual([
      'duration_ms',
      'messages_added',
      'requests',
      'threads',
      'threads_updated',
    ]);
    await expectSameAsFake();
    const kinds = await withStore(async (store) => {
      const seen = new Set<string>();
      for await (const message of store.streamMessages()) seen.add(message.kind);
      return seen;
    });
    expect(kinds.size).toBeGreaterThanOrEqual(10);

    fake.requests.length = 0;
    const idle = await igtg(['sync', '--json']);
    expect(JSON.parse(String(idle.stdout))).toMatchObject({ messages_added: 0, threads_updated: 0 });
    expect(fake.requests.length).toBeLessThanOrEqual(2);
    // The threads an idle run looked at, not those stored: worded so, the smaller number is no loss.
    const said = String((await igtg(['sync'])).stdout);
    expect(said).toMatch(/^Synced: 0 new messages in 0 threads \(\d+ threads checked, \d+ requests, [\d.]+ s\)\.$/);

    const status = await igtg(['status', '--json']);
    expect(JSON.parse(String(status.stdout)).last_sync_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  }, 180_000);

  it('resumes after kill -9 mid-sync without a gap or a duplicate', async () => {
    for (const killAt of [4, 11, 23]) {
      let threadRequests = 0;
      const child = execa(process.execPath, [BIN, 'sync'], {
        reject: false,
        env: { IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1', ...env() },
      });
      fake.onRequest = (request) => {
        if (/^\/api\/v1\/direct_v2\/threads\/\d+\/$/.test(request.path) && ++threadRequests === killAt)
          child.kill('SIGKILL');
      };
      const result = await child;
      expect(result.signal).toBe('SIGKILL');
    }
    fake.onRequest = null;
    const partial = await withStore((store) => store.counts());
    expect(partial.messages).toBeGreaterThan(0);
    expect(partial.messages).toBeLessThan(THREADS * ITEMS);

    const resumed = await igtg(['sync', '--json']);
    expect(resumed.exitCode).toBe(0);
    await expectSameAsFake();
  }, 180_000);

  it('resumes a sync stopped by rate limits without forgetting threads further down the inbox', async () => {
    expect((await igtg(['sync'])).exitCode).toBe(0);
    // New messages in the seven most recent threads: they span two inbox pages of five. Each one
    // written moves its thread to the top, so the fifth becomes the third, and it gets more new
    // messages than the inbox shows: its thread pages must be read.
    const recent = fake.state.listThreads(false).slice(0, 7);
    for (const [index, thread] of recent.entries()) {
      for (let n = 0; n < (index === 4 ? 15 : 1); n++) fake.state.addItem(thread, { text: `news ${index}.${n}` });
    }
    // Those pages keep failing with 429 past every retry: the run stops there.
    const third = fake.state.listThreads(false)[2]!;
    expect(third.thread_id).toBe(recent[4]!.thread_id);
    fake.state.failNext(7, '429', new RegExp(`threads/${third.thread_id}/`));
    const stopped = await igtg(['sync']);
    expect(stopped.exitCode).not.toBe(0);
    expect(String(stopped.stderr)).toContain('run igtg sync again later to continue');

    const resumed = await igtg(['sync']);
    expect(resumed.exitCode).toBe(0);
    await expectSameAsFake();
  }, 180_000);

  it('stores a reaction added to a stored message, and a request accepted in the app', async () => {
    expect((await igtg(['sync'])).exitCode).toBe(0);
    const top = fake.state.listThreads(false)[0]!;
    const newest = top.items[0] as Record<string, unknown>;
    const at = fake.state.nextTimestamp();
    newest.reactions = {
      likes: [],
      likes_count: 0,
      emojis: [{ timestamp: at, sender_id: Number(top.userPks[0]), emoji: '🔥' }],
    };
    top.last_activity_at = at;
    const accepted = fake.state.listThreads(true)[0]!;
    accepted.pending = false;

    expect((await igtg(['sync'])).exitCode).toBe(0);
    await withStore(async (store) => {
      const message = await store.getMessage(top.thread_id, String(newest.item_id));
      expect(message?.reactions.map((reaction) => reaction.emoji)).toEqual(['🔥']);
      expect((await store.getThread(accepted.thread_id))?.isRequest).toBe(false);
    });
  }, 180_000);

  it('survives a 429 storm with backoff and reports the waits', async () => {
    fake.state.failNext(3, '429', /direct_v2/);
    fake.state.failNext(2, 'please_wait', /direct_v2/);
    fake.state.failNext(1, '429_html', /direct_v2/);
    const result = await igtg(['sync']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('Instagram asks to slow down; waiting');
    expect(fake.requests.filter((request) => request.status === 429).length).toBe(4);
    await expectSameAsFake();
  }, 180_000);

  it('stops on feedback_required with a clear message, and a later sync completes', async () => {
    fake.state.failNext(1, 'feedback_required', /direct_v2\/threads\/\d+/);
    const blocked = await igtg(['sync']);
    expect(blocked.exitCode).toBe(1);
    const message = String(blocked.stderr).trim();
    expect(message).toContain('Instagram blocked this action (feedback_required)');
    expect(message).toContain('igtg login');
    expect(message.split('\n')).toHaveLength(1);
    const later = await igtg(['sync', '--json']);
    expect(later.exitCode).toBe(0);
    await expectSameAsFake();
  }, 180_000);

  it('stops on a challenge and points to igtg login', async () => {
    fake.state.failNext(1, 'challenge_required', /direct_v2\/inbox/);
    const result = await igtg(['sync']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain('wants to verify this login');
    expect(String(result.stderr)).toContain('igtg login');
  }, 180_000);

  it('does not go to Instagram directly when the proxy set in the config file is not valid', async () => {
    const configFile = join(home, 'profiles', 'default', 'config.json');
    writeFileSync(configFile, JSON.stringify({ 'instagram.proxy': 'socks5://user:secret@proxy:1080' }));
    const result = await igtg(['sync', '--quiet']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr).trim()).toBe(
      `error: config file ${configFile}: instagram.proxy is not a valid proxy URL, and igtg does not connect without the proxy you set; fix it with igtg config set instagram.proxy URL (or unset it)`,
    );
    expect(fake.requests).toEqual([]);
  }, 60_000);
});
