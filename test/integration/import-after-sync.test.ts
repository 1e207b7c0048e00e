// `igtg import` after `igtg sync`: an archive thread of a conversation already stored from the API
// goes into the API thread, without the messages an API message already holds, and importing again
// adds nothing (real SQLite store, real importer; the first test syncs with the built binary against
// the fake Instagram — build first).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive, type ImportSummary } from '../../src/archive/import-archive.js';
import { SYNC_OWNER_META } from '../../src/archive/match-api-threads.js';
import type { Message, Thread } from '../../src/core/model.js';
import { igTimeToMs } from '../../src/instagram/ig-values.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SyncMeta } from '../../src/sync/sync-engine.js';
import { startFakeInstagram, type FakeInstagram } from '../fakes/instagram/server.js';
import { metaJson, writeTree, type Files } from '../fixtures/archive/build-archive.js';
import { loginToFake, runIgtg, tempHome } from '../helpers/cli.js';
import { withProfileStore } from '../helpers/profile-store.js';

const ME = 'Alex Kim';

interface ArchiveMessage {
  sender: string;
  at: number;
  text?: string;
  photo?: string;
}

interface ArchiveThreadSpec {
  folder: string;
  title: string;
  participants: string[];
  messages: ArchiveMessage[];
}

/** An archive in the current layout (JSON, as Meta writes it), one folder per thread. */
function archiveFiles(threads: ArchiveThreadSpec[]): Files {
  const files: Files = {};
  for (const thread of threads) {
    const messages = [...thread.messages]
      .sort((a, b) => b.at - a.at)
      .map((message) => ({
        sender_name: message.sender,
        timestamp_ms: message.at,
        ...(message.text ? { content: message.text } : {}),
        ...(message.photo ? { photos: [{ uri: message.photo, creation_timestamp: 1 }] } : {}),
        is_geoblocked_for_viewer: false,
        is_unsent_image_by_messenger_kid_parent: false,
      }));
    files[`your_instagram_activity/messages/inbox/${thread.folder}/message_1.json`] = metaJson({
      participants: thread.participants.map((name) => ({ name })),
      messages,
      title: thread.title,
      is_still_participant: true,
      thread_path: `inbox/${thread.folder}`,
      magic_words: [],
    });
  }
  return files;
}

const ids = (messages: Message[]) => messages.map((message) => message.id);

function expectNoDuplicates(messages: Message[]): void {
  const keys = messages.map((message) => `${message.senderName}|${message.sentAt}|${message.text}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(ids(messages)).size).toBe(messages.length);
}

describe('igtg import after igtg sync (the real sync through the built binary)', () => {
  let fake: FakeInstagram;
  let home: string;
  let cleanup: () => void;
  const env = () => ({ IGTG_INSTAGRAM_API_URL: fake.url, IGTG_SYNC_PAUSE_MS: '0', IGTG_BACKOFF_BASE_MS: '1' });
  const igtg = (args: string[]) => runIgtg(args, { home, env: env() });

  const withStore = <T>(action: (store: Store) => Promise<T>) => withProfileStore(home, action);

  async function json(args: string[]): Promise<Record<string, number>> {
    const result = await igtg([...args, '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return JSON.parse(result.stdout) as Record<string, number>;
  }

  beforeEach(async () => {
    fake = await startFakeInstagram();
    ({ home, cleanup } = tempHome('igtg-import-after-sync-'));
    const login = await loginToFake(home, env());
    expect(login.exitCode).toBe(0);
  });

  afterEach(async () => {
    await fake.close();
    cleanup();
  });

  it('joins the archive thread to the API thread without duplicates, and stays so on re-import and sync', async () => {
    const zoe = fake.state.addUser({ username: 'zoe.mueller', full_name: 'Zoë Müller' });
    const apiThread = fake.state.addThread({ users: [zoe] });
    const greeting = fake.state.addItem(apiThread, { from: zoe.pk, text: 'Grüße aus Köln!' });
    const thanks = fake.state.addItem(apiThread, { from: fake.state.viewer.pk, text: 'Danke!' });
    const photo = fake.state.addItem(apiThread, { from: zoe.pk, kind: 'photo' });
    fake.state.addItem(apiThread, { from: zoe.pk, text: 'only in the API (after the export)' });
    const pat = fake.state.addUser({ username: 'pat', full_name: 'Pat Lee' });
    const patThread = fake.state.addThread({ users: [pat] });
    fake.state.addItem(patThread, { from: pat.pk, text: 'hi from Pat' });

    expect(await json(['sync'])).toMatchObject({ threads: 2, messages_added: 5 });

    const ms = (item: { timestamp?: unknown }) => igTimeToMs(item.timestamp)!;
    const folder = 'zoemuller_17843920471234567';
    const archive = writeTree(
      join(home, 'archive'),
      archiveFiles([
        {
          folder,
          title: 'Zoë Müller',
          participants: ['Zoë Müller', ME],
          messages: [
            { sender: 'Zoë Müller', at: ms(greeting) - 86_400_000, text: 'only in the archive (before)' },
            { sender: 'Zoë Müller', at: ms(greeting), text: 'Grüße aus Köln!' },
            { sender: ME, at: ms(thanks), text: 'Danke!' },
            { sender: ME, at: ms(thanks) + 1, text: 'only in the archive (in between)' },
            {
              sender: 'Zoë Müller',
              at: ms(photo),
              photo: `your_instagram_activity/messages/inbox/${folder}/photos/1.jpg`,
            },
          ],
        },
        {
          folder: 'samrivera_42',
          title: 'Sam Rivera',
          participants: ['Sam Rivera', ME],
          messages: [{ sender: 'Sam Rivera', at: 1_600_000_000_000, text: 'only in the archive, no API thread' }],
        },
      ]),
    );

    const first = await json(['import', archive, '--no-media']);
    expect(first).toMatchObject({ threads: 2, messages_read: 6, messages_added: 3 });

    const check = async (extraApiTexts: string[] = []) =>
      withStore(async (store) => {
        expect(await store.getThread(`archive:${folder}`)).toBeNull();
        expect(await store.getThread(apiThread.thread_id)).toMatchObject({ source: 'api', archiveFolder: folder });
        const messages = await store.listMessages(apiThread.thread_id);
        expectNoDuplicates(messages);
        expect(messages.map((message) => `${message.source}:${message.text}`)).toEqual([
          'archive:only in the archive (before)',
          'api:Grüße aus Köln!',
          'api:Danke!',
          'archive:only in the archive (in between)',
          'api:null',
          'api:only in the API (after the export)',
          ...extraApiTexts.map((text) => `api:${text}`),
        ]);
        const fromMe = messages.filter((message) => message.fromMe).map((message) => message.text);
        expect(fromMe).toEqual(['Danke!', 'only in the archive (in between)']);
        expect((await store.listMessages(patThread.thread_id)).map((message) => message.text)).toEqual(['hi from Pat']);
        expect((await store.listMessages('archive:samrivera_42')).map((message) => message.text)).toEqual([
          'only in the archive, no API thread',
        ]);
        expect(await store.counts()).toMatchObject({ threads: 3, messages: 8 + extraApiTexts.length });
      });
    await check();

    // Importing again adds nothing, and neither does a sync with nothing new.
    expect(await json(['import', archive, '--no-media'])).toMatchObject({ messages_read: 6, messages_added: 0 });
    await check();
    expect(await json(['sync'])).toMatchObject({ messages_added: 0 });
    await check();

    // A later sync adds only what is new, in the same thread.
    fake.state.addItem(apiThread, { from: zoe.pk, text: 'newest' });
    expect(await json(['sync'])).toMatchObject({ messages_added: 1 });
    await check(['newest']);
    expect(await json(['import', archive, '--no-media'])).toMatchObject({ messages_added: 0 });
    await check(['newest']);
  }, 120_000);
});

describe('igtg import after API threads were stored (store seeded like the sync)', () => {
  let home: string;
  let cleanup: () => void;
  let store: Store;

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('igtg-import-after-sync-store-'));
    store = await openSqliteStore(join(home, 'igtg.db'));
  });

  afterEach(async () => {
    await store.close();
    cleanup();
  });

  function apiThread(id: string, title: string, names: string[]): Thread {
    return {
      id,
      title,
      isGroup: names.length > 1,
      isRequest: false,
      participants: names.map((name, i) => ({ userId: `${id}${i}`, name, username: name.toLowerCase() })),
      lastActivityAt: 1_718_400_000_000,
      source: 'api',
      archiveFolder: null,
    };
  }

  function apiMessage(threadId: string, id: string, senderName: string, sentAt: number, text: string): Message {
    return {
      id,
      threadId,
      senderId: `pk-${senderName}`,
      senderName,
      sentAt,
      kind: 'text',
      text,
      media: [],
      share: null,
      replyTo: null,
      reactions: [],
      unsent: false,
      fromMe: senderName === ME,
      source: 'api',
      clientContext: null,
      raw: null,
    };
  }

  const run = (path: string): Promise<ImportSummary> => importArchive({ path, store, mediaDir: null, timeZone: 'UTC' });

  it('joins a group by its members, settles ties by title, leaves the rest apart, and re-imports idempotently', async () => {
    const crew = apiThread('340282366841710300949128000000000000101', 'Weekend Crew', ['José Álvarez', 'Sam Rivera']);
    // Two API groups with the same members: only a same title decides.
    const patA = apiThread('340282366841710300949128000000000000102', 'Climbing', ['Pat Lee', 'Kim Ro']);
    const patB = apiThread('340282366841710300949128000000000000103', 'Board games', ['Pat Lee', 'Kim Ro']);
    await store.write({
      threads: [crew, patA, patB],
      messages: [
        apiMessage(crew.id, '3001', 'José Álvarez', 1_718_300_000_000, '¿Quién trae la tienda?'),
        apiMessage(crew.id, '3002', ME, 1_718_300_100_000, 'Ich!'),
        apiMessage(crew.id, '3003', 'Sam Rivera', 1_718_300_200_000, 'api only'),
        apiMessage(patB.id, '3004', 'Pat Lee', 1_718_300_000_000, 'Catan tonight?'),
      ],
      meta: { [SYNC_OWNER_META]: ME },
    });

    const archive = writeTree(
      join(home, 'archive'),
      archiveFiles([
        {
          folder: 'weekendcrew_5512345678901234',
          title: 'Weekend Crew',
          participants: ['Sam Rivera', 'josé álvarez', ME],
          messages: [
            { sender: 'José Álvarez', at: 1_718_300_000_000, text: '¿Quién trae la tienda?' },
            { sender: ME, at: 1_718_300_100_000, text: 'Ich!' },
            // Same sender and millisecond but another text: a different message.
            { sender: ME, at: 1_718_300_100_000, text: 'und die Kocher' },
            { sender: 'Sam Rivera', at: 1_718_200_000_000, text: 'archive only' },
          ],
        },
        {
          folder: 'boardgames_77',
          title: 'Board games',
          participants: ['Pat Lee', 'Kim Ro', ME],
          messages: [
            { sender: 'Pat Lee', at: 1_718_300_000_000, text: 'Catan tonight?' },
            { sender: 'Kim Ro', at: 1_718_300_050_000, text: 'yes!' },
          ],
        },
        {
          folder: 'patkim_88',
          title: 'Pat & Kim',
          participants: ['Pat Lee', 'Kim Ro', ME],
          messages: [{ sender: 'Pat Lee', at: 1_700_000_000_000, text: 'no title decides: a thread of its own' }],
        },
      ]),
    );

    const first = await run(archive);
    expect(first).toMatchObject({
      owner: ME,
      threads: 3,
      messagesRead: 7,
      messagesAdded: 4,
      threadsJoined: 2,
      duplicatesSkipped: 3,
    });

    const expectStored = async () => {
      expect(await store.getThread('archive:weekendcrew_5512345678901234')).toBeNull();
      expect(await store.getThread('archive:boardgames_77')).toBeNull();
      expect(await store.getThread(crew.id)).toMatchObject({
        source: 'api',
        title: 'Weekend Crew',
        archiveFolder: 'weekendcrew_5512345678901234',
      });
      const crewMessages = await store.listMessages(crew.id);
      expectNoDuplicates(crewMessages);
      // (sorted: two messages share a millisecond)
      expect(
        crewMessages
          .map((message) => `${message.sentAt}:${message.source}:${message.senderName}:${message.text}`)
          .sort(),
      ).toEqual([
        '1718200000000:archive:Sam Rivera:archive only',
        '1718300000000:api:José Álvarez:¿Quién trae la tienda?',
        '1718300100000:api:Alex Kim:Ich!',
        '1718300100000:archive:Alex Kim:und die Kocher',
        '1718300200000:api:Sam Rivera:api only',
      ]);
      expect((await store.listMessages(patB.id)).map((message) => `${message.source}:${message.text}`)).toEqual([
        'api:Catan tonight?',
        'archive:yes!',
      ]);
      expect(await store.listMessages(patA.id)).toEqual([]);
      expect(await store.getThread(patA.id)).toMatchObject({ archiveFolder: null });
      expect((await store.listMessages('archive:patkim_88')).map((message) => message.text)).toEqual([
        'no title decides: a thread of its own',
      ]);
      expect(await store.counts()).toMatchObject({ threads: 4, messages: 8 });
    };
    await expectStored();

    // The skipped archive copies have no stored id: a second import skips them again the same way.
    const second = await run(archive);
    expect(second).toMatchObject({ messagesAdded: 0, threadsJoined: 2, duplicatesSkipped: 3 });
    await expectStored();
  });

  it('keeps importing into an archive thread already stored on its own', async () => {
    const zoe = apiThread('340282366841710300949128000000000000201', 'Zoë Müller', ['Zoë Müller']);
    await store.write({
      threads: [zoe],
      messages: [apiMessage(zoe.id, '4001', 'Zoë Müller', 1_718_300_000_000, 'hallo')],
    });
    const spec = {
      folder: 'zoemuller_1',
      title: 'Zoë Müller',
      participants: ['Zoë Müller', ME],
      messages: [{ sender: 'Zoë Müller', at: 1_718_300_000_000, text: 'hallo' }],
    };
    // An archive thread already stored on its own (from an import before this feature) stays so.
    await store.write({
      threads: [
        {
          id: 'archive:zoemuller_1',
          title: 'Zoë Müller',
          isGroup: false,
          isRequest: false,
          participants: spec.participants.map((name) => ({ userId: `archive:${name}`, name, username: null })),
          lastActivityAt: null,
          source: 'archive',
          archiveFolder: 'zoemuller_1',
        },
      ],
    });
    const summary = await run(writeTree(join(home, 'archive'), archiveFiles([spec])));
    expect(summary).toMatchObject({ messagesAdded: 1, threadsJoined: 0, duplicatesSkipped: 0 });
    expect(await store.listMessages('archive:zoemuller_1')).toHaveLength(1);
    expect(await store.listMessages(zoe.id)).toHaveLength(1);
  });

  it('reads the owner name the sync keeps', () => {
    expect(SYNC_OWNER_META).toBe(SyncMeta.ownerName);
  });
});
