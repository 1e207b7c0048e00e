// Shared pieces of the bridge's end-to-end tests (test/e2e/bridge*.test.ts): a temp profile logged
// in to the fake Instagram, the built binary started as `igtg bridge`, and polling for conditions.
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';
import type { FakeThread, FakeUser } from '../fakes/instagram/fake-state.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { BIN, runIgtg, tempHome } from './cli.js';

export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BridgeWorld {
  ig: FakeInstagram;
  tg: FakeTelegram;
  home: string;
  friend: FakeUser;
  thread: FakeThread;
  owner: number;
  env(extra?: Record<string, string>): Record<string, string>;
  start(args?: string[], extra?: Record<string, string>): ResultPromise;
  withStore<T>(action: (store: Store) => Promise<T>): Promise<T>;
  /** Resolves once the first sync of the new profile (history, not forwarded) is stored. */
  baselineDone(): Promise<void>;
  /** Broadcasts the fake Instagram received (sends from igtg), with their text and client_context. */
  broadcasts(): Array<{ threadIds: string[]; text: string | undefined; clientContext: string | undefined }>;
  close(): Promise<void>;
}

export async function bridgeWorld(): Promise<BridgeWorld> {
  const ig = await startFakeInstagram({ seed: { threads: 2, items: 3, pending: 0 } });
  const tg = await startFakeTelegram();
  const { home, cleanup } = tempHome('igtg-bridge-e2e-');
  const friend = ig.state.addUser({ username: 'zoe.w', full_name: 'Zoë W' });
  const thread = ig.state.addThread({ users: [friend] });
  ig.state.addItem(thread, { from: friend.pk, text: 'old history' });
  const children: ResultPromise[] = [];
  const env = (extra: Record<string, string> = {}) => ({
    IGTG_HOME: home,
    IGTG_SECRETS: 'file',
    NO_COLOR: '1',
    IGTG_INSTAGRAM_API_URL: ig.url,
    IGTG_TELEGRAM_API_URL: tg.url,
    IGTG_TELEGRAM_TOKEN: tg.token,
    IGTG_TELEGRAM_OWNER_ID: String(tg.state.owner.id),
    IGTG_POLL_INTERVAL: '1',
    IGTG_SYNC_PAUSE_MS: '0',
    IGTG_BACKOFF_BASE_MS: '1',
    IGTG_TELEGRAM_PACE_MS: '0',
    IGTG_TELEGRAM_POLL_TIMEOUT: '1',
    IGTG_BRIDGE_LEASE_MS: '2000',
    ...extra,
  });
  const login = await runIgtg(['login', '--sessionid', ig.state.newSession()], { home, env: env() });
  if (login.exitCode !== 0) throw new Error(`login failed: ${login.stderr}`);
  const withStore = async <T>(action: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openSqliteStore(join(home, 'profiles', 'default', 'igtg.db'));
    try {
      return await action(store);
    } finally {
      await store.close();
    }
  };
  return {
    ig,
    tg,
    home,
    friend,
    thread,
    owner: tg.state.owner.id,
    env,
    start(args = [], extra = {}) {
      const child = execa(process.execPath, [BIN, 'bridge', ...args], {
        env: env(extra),
        extendEnv: true,
        reject: false,
        stdin: 'ignore',
      });
      children.push(child);
      return child;
    },
    withStore,
    async baselineDone() {
      await until('the first sync', () =>
        withStore(async (store) => (await store.getMeta('bridge.history_baseline')) === 'done').catch(() => false),
      );
    },
    broadcasts() {
      return ig.requests
        .filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/direct_v2/threads/broadcast/'))
        .map((r) => ({
          threadIds: (JSON.parse(r.form.thread_ids ?? '[]') as Array<string | number>).map(String),
          text: r.form.text ?? r.form.link_text,
          clientContext: r.form.client_context,
        }));
    },
    async close() {
      for (const child of children) {
        if (child.exitCode === null) child.kill('SIGKILL');
        await child;
      }
      await ig.close();
      await tg.close();
      cleanup();
    },
  };
}
