// A first sync cut off in its inbox walk, resumed after threads further down got new messages
// (which moved them to the top, above the walked part): the next run must store them too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { dyingAfter } from '../helpers/dying-client.js';
import type { InstagramConnection } from '../../src/instagram/connect.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runSync } from '../../src/sync/sync-engine.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';
import { connectLoggedInToFake } from '../helpers/instagram-login.js';

let fake: FakeInstagram;
let dir: string;
let store: Store;
let connection: InstagramConnection;

async function storedMessageKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const message of store.streamMessages()) keys.push(`${message.threadId}/${message.id}`);
  return keys.sort();
}

function fakeMessageKeys(): string[] {
  return [...fake.state.allItemIds()].flatMap(([threadId, ids]) => ids.map((id) => `${threadId}/${id}`)).sort();
}

beforeEach(async () => {
  fake = await startFakeInstagram({ seed: { threads: 40, items: 3, pending: 0 } });
  fake.state.inboxPageSize = 5;
  dir = mkdtempSync(join(tmpdir(), 'igtg-sync-resume-'));
  store = await openSqliteStore(join(dir, 'igtg.db'));
  connection = await connectLoggedInToFake({ IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0' });
  fake.requests.length = 0;
});

afterEach(async () => {
  await connection.close();
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stores threads that moved to the top while a first inbox walk was cut off, in the same run', async () => {
  // Three of the eight inbox pages read, then killed.
  const first = runSync({ client: dyingAfter(connection.client, 3), store });
  await expect(first).rejects.toThrow('killed');
  const deep = fake.state.listThreads(false).slice(25, 36);
  fake.state.addItem(deep[0]!, { text: 'news deep in the inbox' });
  fake.state.addItem(deep[10]!, { text: 'more news' });

  fake.requests.length = 0;
  const resumed = await runSync({ client: connection.client, store });
  expect(await storedMessageKeys()).toEqual(fakeMessageKeys());
  expect(resumed.messages_added).toBe(40 * 3 + 2);
  // One page from the top finds both, then the walk goes on from its cursor (five pages left).
  const inboxReads = fake.requests.filter((request) => request.path.endsWith('/direct_v2/inbox/'));
  expect(inboxReads.map((request) => request.query.cursor ?? null).filter((cursor) => cursor === null)).toHaveLength(1);
  expect(inboxReads).toHaveLength(6);
});
