// `igtg status` after Instagram refused the stored session once and then took it again (build first).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loginToFake, runIgtg, tempHome } from '../helpers/cli.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';

let fake: FakeInstagram;
let home: string;
let cleanup: () => void;

const env = () => ({ IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0' });
const igtg = (args: string[]) => runIgtg(args, { home, env: env() });

async function sessionRefused(): Promise<boolean> {
  return JSON.parse(String((await igtg(['status', '--json'])).stdout)).instagram.session_refused as boolean;
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 2, items: 3, pending: 0 } });
  ({ home, cleanup } = tempHome('igtg-refused-'));
  expect((await loginToFake(home, env())).exitCode).toBe(0);
});

afterEach(async () => {
  await fake.close();
  cleanup();
});

it('stops saying Instagram ended the session once a sync works on it again', async () => {
  // login_required, and again after the reload of the stored session: the sync gives up.
  fake.state.failNext(2, 'login_required', /direct_v2\/inbox/);
  const refused = await igtg(['sync']);
  expect(refused.exitCode).toBe(1);
  expect(await sessionRefused()).toBe(true);

  expect((await igtg(['sync'])).exitCode).toBe(0);
  expect(await sessionRefused()).toBe(false);
  expect(String((await igtg(['status'])).stdout)).not.toContain('Instagram ended the session');
}, 180_000);
