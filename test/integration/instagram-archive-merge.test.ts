// An archive import and an API sync of the same conversation end as one thread without
// duplicated messages (real SQLite store, real adapter, fake Instagram).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyMedia, type Message, type Thread } from '../../src/core/model.js';
import type { InstagramConnection } from '../../src/instagram/connect.js';
import { igTimeToMs } from '../../src/instagram/ig-values.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runSync } from '../../src/sync/sync-engine.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';
import { connectLoggedInToFake } from '../helpers/instagram-login.js';

let dir: string;

function archiveThread(folder: string, names: string[]): Thread {
  return {
    id: `archive:${folder}`,
    title: names[0]!,
    isGroup: false,
    isRequest: false,
    participants: names.map((name) => ({ userId: `archive:${name}`, name, username: null })),
    lastActivityAt: null,
    source: 'archive',
    archiveFolder: folder,
  };
}

function archiveMessage(threadId: string, n: number, senderName: string, sentAt: number, text: string | null): Message {
  return {
    id: `a:${threadId}:${n}`,
    threadId,
    senderId: null,
    senderName,
    sentAt,
    kind: text ? 'text' : 'photo',
    text,
    media: text ? [] : [emptyMedia('photo', { name: 'photos/1.jpg' })],
    share: null,
    replyTo: null,
    reactions: [],
    unsent: false,
    fromMe: senderName === 'Alex Kim',
    source: 'archive',
    clientContext: null,
    raw: null,
  };
}

let fake: FakeInstagram;
let store: Store;
let connection: InstagramConnection;

beforeEach(async () => {
  fake = await startFakeInstagram();
  dir = mkdtempSync(join(tmpdir(), 'igtg-merge-'));
  store = await openSqliteStore(join(dir, 'igtg.db'));
  const env = { IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0' };
  connection = await connectLoggedInToFake(env);
});

afterEach(async () => {
  await connection.close();
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('archive and API of the same conversation', () => {
  it('end as one thread under the API id, without duplicated messages', async () => {
    const zoe = fake.state.addUser({ username: 'zoe.mueller', full_name: 'Zoë Müller' });
    const apiThread = fake.state.addThread({ users: [zoe] });
    const old = fake.state.addItem(apiThread, { from: zoe.pk, text: 'Grüße aus Köln!' });
    const mine = fake.state.addItem(apiThread, { from: fake.state.viewer.pk, text: 'Danke!' });
    const photo = fake.state.addItem(apiThread, { from: zoe.pk, kind: 'photo' });
    fake.state.addItem(apiThread, { from: zoe.pk, text: 'only in the API (after the export)' });
    // Another conversation with other people must stay apart.
    const sam = fake.state.addUser({ username: 'sam', full_name: 'Sam Rivera' });
    fake.state.addItem(fake.state.addThread({ users: [sam] }), { from: sam.pk, text: 'hi' });

    const archive = archiveThread('zoemuller_1784392047', ['Zoë Müller', 'Alex Kim']);
    const other = archiveThread('someone_1', ['Someone Else', 'Alex Kim']);
    await store.write({
      threads: [archive, other],
      messages: [
        archiveMessage(
          archive.id,
          1,
          'Zoë Müller',
          igTimeToMs(old.timestamp)! - 86_400_000,
          'only in the archive (before)',
        ),
        archiveMessage(archive.id, 2, 'Zoë Müller', igTimeToMs(old.timestamp)!, 'Grüße aus Köln!'),
        archiveMessage(archive.id, 3, 'Alex Kim', igTimeToMs(mine.timestamp)!, 'Danke!'),
        archiveMessage(archive.id, 4, 'Zoë Müller', igTimeToMs(photo.timestamp)!, null),
        archiveMessage(other.id, 1, 'Someone Else', 1000, 'untouched'),
      ],
    });

    await runSync({ client: connection.client, store });

    expect(await store.getThread(archive.id)).toBeNull();
    const merged = await store.getThread(apiThread.thread_id);
    expect(merged).toMatchObject({ source: 'api', archiveFolder: 'zoemuller_1784392047' });
    const texts = (await store.listMessages(apiThread.thread_id)).map((message) => `${message.source}:${message.text}`);
    expect(texts).toEqual([
      'archive:only in the archive (before)',
      'archive:Grüße aus Köln!',
      'archive:Danke!',
      'archive:null',
      'api:only in the API (after the export)',
    ]);
    expect((await store.listMessages(other.id)).map((message) => message.text)).toEqual(['untouched']);

    // A later sync neither duplicates nor merges again.
    fake.state.addItem(apiThread, { from: zoe.pk, text: 'newest' });
    const again = await runSync({ client: connection.client, store });
    expect(again.messages_added).toBe(1);
    expect(await store.listMessages(apiThread.thread_id)).toHaveLength(6);
  });
});
