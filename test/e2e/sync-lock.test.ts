// Two `igtg sync` runs of one profile at once (build first): the second waits briefly, then gives
// up naming the first, without a request to Instagram (an import too); a sync killed with -9 leaves
// nothing in the way of the next.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BIN, ROOT, loginToFake, runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

const SAMPLE_ARCHIVE = join(ROOT, 'examples', 'sample-archive');

let fake: FakeInstagram;
let home: string;
let cleanup: () => void;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1', ...extra };
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 12, items: 5, pending: 1 } });
  fake.state.inboxPageSize = 5;
  ({ home, cleanup } = tempHome('igtg-sync-lock-'));
  expect((await loginToFake(home, env())).exitCode).toBe(0);
  fake.requests.length = 0;
});

afterEach(async () => {
  await fake.close();
  cleanup();
});

it('lets one sync of a profile run at a time', async () => {
  // The first sync is told to slow down on its first request and waits minutes: it holds the lock.
  fake.state.failNext(1, '429', /direct_v2\/inbox/);
  const askedToWait = new Promise<void>((resolve) => {
    fake.onRequest = (request) => {
      if (request.path.endsWith('/direct_v2/inbox/')) resolve();
    };
  });
  const first = execa(process.execPath, [BIN, 'sync'], {
    reject: false,
    env: { IGTG_HOME: home, IGTG_SECRETS: 'file', NO_COLOR: '1', ...env({ IGTG_BACKOFF_BASE_MS: '600000' }) },
  });
  await askedToWait;
  fake.onRequest = null;

  const second = await runIgtg(['sync'], { home, env: env() });
  expect(second.exitCode).toBe(1);
  expect(String(second.stderr).trim().split('\n').at(-1)).toBe(
    `error: another igtg sync of this profile is running (pid ${first.pid}); try again when it has finished`,
  );
  expect(fake.requests).toHaveLength(1);

  // An import waits for the same lock: run beside a sync, it could store one conversation twice.
  const importing = await runIgtg(['import', SAMPLE_ARCHIVE], { home, env: env() });
  expect(importing.exitCode).toBe(1);
  expect(String(importing.stderr).trim().split('\n').at(-1)).toBe(
    `error: another igtg sync of this profile is running (pid ${first.pid}); try again when it has finished`,
  );
  expect(await withProfileStore(home, async (store) => (await store.counts()).messages)).toBe(0);

  first.kill('SIGKILL');
  expect((await first).signal).toBe('SIGKILL');
  const after = await runIgtg(['sync', '--json'], { home, env: env() });
  expect(after.exitCode).toBe(0);
  const messages = await withProfileStore(home, async (store) => (await store.counts()).messages);
  expect(messages).toBe(12 * 5);
}, 180_000);
