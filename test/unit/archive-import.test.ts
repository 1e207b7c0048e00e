import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildArchiveRecord } from '../../src/archive/archive-record.js';
import { ARCHIVE_OWNER_META, importArchive, type ImportOptions } from '../../src/archive/import-archive.js';
import { guessOwner } from '../../src/archive/owner.js';
import {
  BAD_GROUP_FILE,
  badGroupFiles,
  currentLayoutFiles,
  GROUP_FOLDER,
  htmlPage,
  layout2020Files,
  legacyFiles,
  ME,
  metaJson,
  REQUEST_FOLDER,
  TINY_JPEG,
  TRICKY_TEXTS,
  writeTree,
  ZOE_FOLDER,
} from '../fixtures/archive/build-archive.js';
import { FakeImportStore } from '../fixtures/archive/fake-store.js';
import { zipOfFiles } from '../fixtures/archive/zip-writer.js';
import { tempFolder } from '../helpers/temp-folder.js';

const { fresh } = tempFolder('igtg-archive-import-');

function run(path: string, store: FakeImportStore, extra: Partial<ImportOptions> = {}) {
  return importArchive({ path, store, mediaDir: null, timeZone: 'UTC', ...extra });
}

describe('importArchive, current layout', () => {
  const root = writeTree(fresh('current'), currentLayoutFiles());
  const store = new FakeImportStore();
  const mediaDir = fresh('media');
  let summary: Awaited<ReturnType<typeof run>>;

  it('imports every thread, message, and media file', async () => {
    summary = await run(root, store, { mediaDir, finalMeta: () => ({ 'status.last_import_at': '123' }) });
    expect(summary).toEqual({
      threads: 3,
      messagesRead: 21,
      messagesAdded: 21,
      mediaFiles: 3,
      skippedFiles: [],
      owner: ME,
      threadsJoined: 0,
      duplicatesSkipped: 0,
    });
    expect(store.meta.get('status.last_import_at')).toBe('123');
    expect(store.meta.get(ARCHIVE_OWNER_META)).toBe(ME);
  });

  it('maps threads: folder ids, titles, groups, requests, participants', () => {
    const zoe = store.threads.get(`archive:${ZOE_FOLDER}`)!;
    expect(zoe).toEqual({
      id: `archive:${ZOE_FOLDER}`,
      title: 'Zoë Müller',
      isGroup: false,
      isRequest: false,
      participants: [
        { userId: 'archive:Zoë Müller', name: 'Zoë Müller', username: null },
        { userId: 'archive:Alex Kim', name: 'Alex Kim', username: null },
      ],
      lastActivityAt: 1718368145728,
      source: 'archive',
      archiveFolder: ZOE_FOLDER,
    });
    const group = store.threads.get(`archive:${GROUP_FOLDER}`)!;
    expect(group.isGroup).toBe(true);
    expect(group.title).toBe('Weekend Crew 🏕️');
    expect(store.threads.get(`archive:${REQUEST_FOLDER}`)!.isRequest).toBe(true);
    expect([...store.users.keys()].sort()).toEqual([
      'archive:Alex Kim',
      'archive:Instagram User',
      'archive:José Álvarez',
      'archive:Zoë Müller',
      'archive:さくら 田中',
    ]);
    expect(store.users.get('archive:Zoë Müller')).toEqual({
      id: 'archive:Zoë Müller',
      username: null,
      fullName: 'Zoë Müller',
      profilePicUrl: null,
    });
  });

  it('maps messages oldest first across files, with kinds, reactions, shares, media', () => {
    const messages = store.thread(`archive:${ZOE_FOLDER}`);
    expect(messages.map((m) => m.kind)).toEqual([
      'text',
      'text',
      'text',
      'text',
      'call',
      'system',
      'like',
      'video',
      'audio',
      'photo',
      'share',
      'text',
      'system',
    ]);
    const first = messages[0]!;
    expect(first).toMatchObject({
      threadId: `archive:${ZOE_FOLDER}`,
      senderId: null,
      senderName: ME,
      sentAt: 1700000100000,
      text: 'hey! first message',
      fromMe: true,
      source: 'archive',
      unsent: false,
      replyTo: null,
      clientContext: null,
    });
    expect(first.id).toMatch(/^a:/);
    // The row's columns hold the whole record: raw keeps nothing, and the record can be rebuilt.
    expect(first.raw).toBeNull();
    expect(rebuildArchiveRecord(first)).toEqual({
      sender_name: ME,
      timestamp_ms: 1700000100000,
      content: 'hey! first message',
    });
    const reel = messages.find((m) => m.text === 'ok that reel 😂😂')!;
    expect(reel.reactions).toEqual([{ emoji: '😂', actor: 'Zoë Müller', actorId: null, at: 1718368145000 }]);
    expect(messages.find((m) => m.kind === 'share')!.share).toEqual({
      url: 'https://www.instagram.com/reel/C7xYz12AbCd/',
      text: 'Sunday vibes ☀️ #köln',
      owner: 'some.creator',
    });
    expect(messages.find((m) => m.kind === 'share')!.fromMe).toBe(false);
    const photo = messages.find((m) => m.kind === 'photo')!.media[0]!;
    expect(photo).toMatchObject({
      kind: 'photo',
      url: null,
      name: `your_instagram_activity/messages/inbox/${ZOE_FOLDER}/photos/448123456_1234567890123456_987654321098765432_n_1234567890123456.jpg`,
      mime: 'image/jpeg',
    });
    expect(photo.path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect(readFileSync(join(mediaDir, photo.path!))).toEqual(TINY_JPEG);
    expect(statSync(join(mediaDir, photo.path!)).mode & 0o777).toBe(0o600);
    expect(messages.find((m) => m.kind === 'audio')!.media[0]).toMatchObject({ kind: 'audio', mime: 'video/mp4' });
    expect(messages.find((m) => m.text === 'Zoë Müller unsent a message')!.unsent).toBe(true);
  });

  it('writes each thread oldest first, across its files', () => {
    const written = [...store.messages.values()]
      .filter((m) => m.threadId === `archive:${ZOE_FOLDER}`)
      .map((m) => m.sentAt);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(written[0]).toBe(1700000100000);
  });

  it('gives exact repeats distinct ids and counts them once per archive', async () => {
    const repeat = { sender_name: 'Zoë Müller', timestamp_ms: 1700000000000, content: 'ha' };
    const page = (copies: number) =>
      metaJson({
        participants: [{ name: 'Zoë Müller' }, { name: ME }],
        messages: Array(copies).fill(repeat),
        title: 'Zoë Müller',
      });
    const repeats = new FakeImportStore();
    const twice = writeTree(fresh('repeat2'), { 'messages/inbox/z_1/message_1.json': page(2) });
    expect((await run(twice, repeats)).messagesAdded).toBe(2);
    expect((await run(twice, repeats)).messagesAdded).toBe(0);
    const thrice = writeTree(fresh('repeat3'), { 'messages/inbox/z_1/message_1.json': page(3) });
    expect((await run(thrice, repeats)).messagesAdded).toBe(1);
  });

  it('keeps text that needs no repair exactly', () => {
    const texts = store.thread(`archive:${REQUEST_FOLDER}`).map((m) => m.text);
    for (const text of TRICKY_TEXTS) expect(texts).toContain(text);
  });

  it('adds nothing on a second run', async () => {
    const again = await run(root, store, { mediaDir });
    expect(again.messagesRead).toBe(21);
    expect(again.messagesAdded).toBe(0);
    expect(store.messages.size).toBe(21);
  });

  it('adds only the new messages from a newer archive (other layout, zip)', async () => {
    const newer = JSON.parse(
      readFileSync(join(root, `your_instagram_activity/messages/inbox/${ZOE_FOLDER}/message_1.json`), 'utf8'),
    );
    newer.messages.unshift({
      sender_name: ME,
      timestamp_ms: 1718400000000,
      content: 'new one',
      is_geoblocked_for_viewer: false,
    });
    const files = layout2020Files('instagram-alexkim-20240801/');
    files[`instagram-alexkim-20240801/messages/inbox/${ZOE_FOLDER}/message_1.json`] = JSON.stringify(newer);
    const zip = fresh('newer.zip');
    writeFileSync(zip, zipOfFiles(files));
    const result = await run(zip, store);
    expect(result.messagesRead).toBe(17);
    expect(result.messagesAdded).toBe(1);
  });
});

describe('importArchive, other layouts', () => {
  it('reads the legacy messages.json with usernames', async () => {
    const store = new FakeImportStore();
    const summary = await run(writeTree(fresh('legacy'), legacyFiles()), store);
    expect(summary).toMatchObject({ threads: 1, messagesRead: 4, messagesAdded: 4 });
    const messages = store.thread('archive:legacy_alex.kim_zoe.mueller');
    expect(messages.map((m) => m.kind)).toEqual(['text', 'share', 'like', 'text']);
    expect(JSON.parse(messages[3]!.raw!)).toEqual({
      sender: 'zoe.mueller',
      created_at: '2018-10-16T18:22:05.437911+00:00',
      text: 'Bis später 👋',
    });
    expect(store.users.get('archive:alex.kim')).toMatchObject({ username: 'alex.kim', fullName: null });
  });

  it('reads an HTML archive in the given zone and copies its media', async () => {
    const base = `your_instagram_activity/messages/inbox/${ZOE_FOLDER}`;
    const root = writeTree(fresh('html'), {
      [`${base}/message_1.html`]: htmlPage(
        'Zoë Müller',
        ['Zoë Müller', ME],
        [
          { sender: ME, time: 'Jan 2, 2024 4:05 pm', text: 'second', reactions: ['❤️Zoë Müller'] },
          { sender: 'Zoë Müller', time: 'Jan 2, 2024 4:04 pm', media: [`${base}/photos/p.jpg`] },
        ],
      ),
      [`${base}/photos/p.jpg`]: TINY_JPEG,
    });
    const store = new FakeImportStore();
    const mediaDir = fresh('media');
    const summary = await run(root, store, { timeZone: 'America/New_York', mediaDir });
    expect(summary).toMatchObject({ threads: 1, messagesRead: 2, messagesAdded: 2, mediaFiles: 1, owner: ME });
    const [photo, text] = store.thread(`archive:${ZOE_FOLDER}`);
    expect(photo!.sentAt).toBe(Date.UTC(2024, 0, 2, 21, 4));
    expect(photo!.media[0]!.path).toMatch(/\.jpg$/);
    expect(text).toMatchObject({
      text: 'second',
      fromMe: true,
      reactions: [{ emoji: '❤️', actor: 'Zoë Müller', actorId: null, at: null }],
    });
  });
});

describe('importArchive, bad input', () => {
  it('commits nothing when a file is bad, and names it', async () => {
    const store = new FakeImportStore();
    await expect(run(writeTree(fresh('bad'), badGroupFiles()), store)).rejects.toThrow(
      `${BAD_GROUP_FILE}: messages[0].timestamp_ms: expected number, received string`,
    );
    expect(store.writes).toBe(0);
  });

  it('imports the good threads with skipBad and lists the bad file', async () => {
    const store = new FakeImportStore();
    const summary = await run(writeTree(fresh('skip'), badGroupFiles()), store, { skipBad: true });
    expect(summary.threads).toBe(2);
    expect(summary.messagesAdded).toBe(18);
    expect(summary.skippedFiles).toEqual([
      {
        file: BAD_GROUP_FILE,
        reason: 'messages[0].timestamp_ms: expected number, received string',
      },
    ]);
    expect(store.threads.has(`archive:${GROUP_FOLDER}`)).toBe(false);
  });

  it('refuses a file over the size bound', async () => {
    const store = new FakeImportStore();
    await expect(
      run(writeTree(fresh('big'), currentLayoutFiles()), store, { limits: { maxJsonBytes: 2000 } }),
    ).rejects.toThrow(/message_1\.json: larger than the 2\.0 KiB allowed for a message file/);
    expect(store.writes).toBe(0);
  });

  it('writes the same messages in the same order whatever the batch size', async () => {
    const root = writeTree(fresh('chunks'), currentLayoutFiles());
    const whole = new FakeImportStore();
    await run(root, whole);
    const chunked = new FakeImportStore();
    const phases: string[] = [];
    await run(root, chunked, {
      batchSize: 3,
      onProgress: (event) => event.type === 'phase' && phases.push(event.phase),
    });
    expect(chunked.writes).toBe(Math.ceil(21 / 3) + 1);
    expect([...chunked.messages.keys()]).toEqual([...whole.messages.keys()]);
    // Every batch but the last leaves search indexing to the last, which says so first.
    expect(chunked.deferred).toEqual([...Array<boolean>(chunked.writes - 1).fill(true), false]);
    expect(phases).toEqual(['checking', 'importing', 'indexing']);
    expect(whole.deferred).toEqual([false]);
  });

  it('reads on while a slow store writes, with one write in flight at a time', async () => {
    const root = writeTree(fresh('slow'), currentLayoutFiles());
    const quick = new FakeImportStore();
    await run(root, quick, { batchSize: 3 });
    const slow = new FakeImportStore();
    slow.delayMs = 15;
    let filesReadWhileWriting = 0;
    await run(root, slow, {
      batchSize: 3,
      onProgress: (event) => {
        if (event.type === 'file' && slow.inFlight > 0) filesReadWhileWriting += 1;
      },
    });
    expect(slow.maxInFlight).toBe(1);
    expect(filesReadWhileWriting).toBeGreaterThan(0);
    expect([...slow.messages.keys()]).toEqual([...quick.messages.keys()]);
    expect(slow.deferred).toEqual(quick.deferred);
  });

  it('says so when a slow store fails midway, and indexes what it wrote', async () => {
    const store = new FakeImportStore();
    store.delayMs = 5;
    store.failOnWrite = 2;
    await expect(run(writeTree(fresh('slowfail'), currentLayoutFiles()), store, { batchSize: 5 })).rejects.toThrow(
      /the store failed after 5 messages were written \(disk full\)/,
    );
    expect(store.deferred).toEqual([true, true, false]);
    expect(store.inFlight).toBe(0);
  });

  it('writes in batches and says so when the store fails midway', async () => {
    const store = new FakeImportStore();
    store.failOnWrite = 2;
    await expect(run(writeTree(fresh('batches'), currentLayoutFiles()), store, { batchSize: 5 })).rejects.toThrow(
      /the store failed after \d+ messages were written \(disk full\); run the import again/,
    );
    // What was written before the failure is made searchable by one more, empty, write.
    expect(store.deferred).toEqual([true, true, false]);
    store.failOnWrite = null;
    const summary = await run(writeTree(fresh('batches2'), currentLayoutFiles()), store, { batchSize: 5 });
    expect(store.messages.size).toBe(21);
    expect(summary.messagesAdded).toBeLessThan(21);
  });
});

describe('guessOwner', () => {
  const evidence = (threads: Array<[string[], string | null]>, extra = {}) => ({
    threads: threads.map(([participants, title]) => ({ participants, title })),
    ownLineSenders: new Map<string, number>(),
    previous: null,
    archiveUsername: null,
    ...extra,
  });

  it('is the participant of every thread', () => {
    expect(
      guessOwner(
        evidence([
          [['A', 'Me'], 'A'],
          [['B', 'Me', 'C'], 'Group'],
        ]),
      ),
    ).toBe('Me');
  });

  it('is not the title of a 1:1 thread', () => {
    expect(guessOwner(evidence([[['Zoë', 'Me'], 'Zoë']]))).toBe('Me');
  });

  it('wrote the "You …" lines when titles do not tell', () => {
    expect(guessOwner(evidence([[['A', 'B', 'C'], 'G']], { ownLineSenders: new Map([['B', 2]]) }))).toBe('B');
    expect(guessOwner(evidence([[['A', 'B', 'C'], 'G']], { previous: 'C' }))).toBe('C');
    expect(guessOwner(evidence([[['A', 'B', 'C'], 'G']]))).toBeNull();
  });

  it('ignores deleted accounts and falls back to the most present name', () => {
    expect(guessOwner(evidence([[['Instagram User', 'Me'], 'Instagram User']]))).toBe('Me');
    expect(
      guessOwner(
        evidence([
          [['A', 'Me'], 'A'],
          [['B', 'Me'], 'B'],
          [['C', 'D'], 'C'],
        ]),
      ),
    ).toBe('Me');
  });
});
