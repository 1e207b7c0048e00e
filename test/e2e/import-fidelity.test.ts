// What `igtg import` stores, read back through `igtg threads/show/search --json`: Meta's text repaired
// byte for byte, requests, exact repeats, message kinds, milliseconds, and HTML times in the system zone.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIgtg, tempHome } from '../helpers/cli.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { htmlPage, ME, metaJson, TINY_JPEG, writeTree } from '../fixtures/archive/build-archive.js';
import { zipOfFiles } from '../fixtures/archive/zip-writer.js';

/** Each test runs the binary several times; shared CI machines can be slow to start processes. */
const SLOW = 120_000;
const folder = tempFolder('igtg-fidelity-');

function newHome(): string {
  const { home, cleanup } = tempHome('igtg-fidelity-home-');
  afterAll(cleanup);
  return home;
}

async function json<T>(home: string, args: string[], env: Record<string, string> = { TZ: 'UTC' }): Promise<T> {
  const result = await runIgtg([...args, '--json'], { home, env });
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.exitCode, args.join(' ')).toBe(0);
  return JSON.parse(String(result.stdout)) as T;
}

interface ImportJson {
  threads: number;
  messages_read: number;
  messages_added: number;
  media_files: number;
}
interface ThreadJson {
  thread_id: string;
  title: string;
  participants: string[];
  is_request: boolean;
}
interface MessageJson {
  message_id: string;
  sender: string;
  text: string | null;
  sent_at: string;
  kind: string;
  media: Array<{ kind: string; path: string | null; name: string | null }>;
  share: { url: string | null; text: string | null; owner: string | null } | null;
  reactions: Array<{ emoji: string; actor: string }>;
  unsent: boolean;
}

const ZOE = 'Zoë Müller';
const ZOE_FOLDER = 'zoemuller_40001';
const REQUEST_FOLDER = 'sakuratanaka_40002';
const PLAIN_FOLDER = 'reneenaive_40003';
const BASE = 'your_instagram_activity/messages';
const PHOTO_URI = `${BASE}/inbox/${ZOE_FOLDER}/photos/café_ü.jpg`;

const FAMILY = 'Family 👨‍👩‍👧‍👦, flag 🏳️‍🌈 🇩🇪, skin tone 👍🏽';
const RTL = 'مرحبا بالعالم שלום עולם';
const CJK = 'こんにちは 你好 안녕하세요';
const SHARE = {
  link: 'https://www.instagram.com/reel/C7xYz12AbCd/',
  text: 'Sunday vibes ☀️ #köln',
  owner: 'señor.ñandú',
};
/** Real UTF-8 in the file (not Meta's escapes): text the repair must leave exactly as it is. */
const PLAIN_TEXTS = ['café naïve Zoë ÿ £5 ±1 °C', 'ÃŸ is fine'];

const T = 1_718_351_000_000;
const extra = { is_geoblocked_for_viewer: false, is_unsent_image_by_messenger_kid_parent: false };
const from = (sender: string, timestamp_ms: number, fields: Record<string, unknown>) => ({
  sender_name: sender,
  timestamp_ms,
  ...fields,
  ...extra,
});

/** Newest first, as Meta writes the file. */
const ZOE_MESSAGES = [
  from(ZOE, T + 900_000, { content: `${ZOE} unsent a message` }),
  from(ZOE, T + 800_000, { content: 'Missed a video call' }),
  from(ME, T + 700_000, { content: 'haha' }),
  from(ME, T + 700_000, { content: 'haha' }),
  from(ZOE, T + 600_000, {
    share: { link: SHARE.link, share_text: SHARE.text, original_content_owner: SHARE.owner },
  }),
  from(ZOE, T + 500_000, { photos: [{ uri: PHOTO_URI, creation_timestamp: (T + 499_000) / 1000 }] }),
  from(ZOE, T + 400_000, { content: CJK }),
  from(ZOE, T + 300_000, { content: RTL }),
  from(ME, T + 200_000, {
    content: FAMILY,
    reactions: [{ reaction: '😂', actor: ZOE, timestamp: (T + 250_000) / 1000 }],
  }),
  // A time that does not fall on a whole second.
  from(ME, T + 35_728, { content: 'see you at the lighthouse' }),
];

function fidelityZip(): string {
  const zip = folder.fresh('instagram-alexkim-20240701.zip');
  const thread = (participants: string[], title: string, messages: unknown[], path: string) => ({
    participants: participants.map((name) => ({ name })),
    messages,
    title,
    is_still_participant: true,
    thread_path: path,
    magic_words: [],
  });
  const files = {
    [`${BASE}/inbox/${ZOE_FOLDER}/message_1.json`]: metaJson(
      thread([ZOE, ME], ZOE, ZOE_MESSAGES, `inbox/${ZOE_FOLDER}`),
    ),
    [PHOTO_URI]: TINY_JPEG,
    [`${BASE}/message_requests/${REQUEST_FOLDER}/message_1.json`]: metaJson(
      thread(
        ['さくら 田中', ME],
        'さくら 田中',
        [from('さくら 田中', T, { content: 'Hi! 👋' })],
        `message_requests/${REQUEST_FOLDER}`,
      ),
    ),
    [`${BASE}/inbox/${PLAIN_FOLDER}/message_1.json`]: JSON.stringify(
      thread(
        ['Renée Naïve', ME],
        'Renée Naïve',
        PLAIN_TEXTS.map((content, i) => from('Renée Naïve', T - i * 1000, { content })),
        `inbox/${PLAIN_FOLDER}`,
      ),
      null,
      2,
    ),
  };
  writeFileSync(zip, zipOfFiles(files, 'instagram-alexkim-20240701/'));
  return zip;
}

describe('an archive in the current layout, imported from its zip', { timeout: SLOW }, () => {
  const home = newHome();
  const zip = fidelityZip();
  let first: ImportJson;
  let zoe: MessageJson[];
  beforeAll(async () => {
    first = await json<ImportJson>(home, ['import', zip]);
    zoe = await json<MessageJson[]>(home, ['show', `archive:${ZOE_FOLDER}`]);
  }, SLOW);

  it('reads every message and the media file with a non-ASCII name', () => {
    expect(first).toMatchObject({ threads: 3, messages_read: 13, messages_added: 13, media_files: 1 });
  });

  it('gives the real names and titles in igtg threads, and marks the request', async () => {
    const threads = await json<ThreadJson[]>(home, ['threads']);
    const byId = Object.fromEntries(threads.map((thread) => [thread.thread_id, thread]));
    expect(Object.keys(byId).sort()).toEqual(
      [`archive:${PLAIN_FOLDER}`, `archive:${REQUEST_FOLDER}`, `archive:${ZOE_FOLDER}`].sort(),
    );
    expect(byId[`archive:${ZOE_FOLDER}`]).toMatchObject({ title: ZOE, is_request: false });
    expect(byId[`archive:${ZOE_FOLDER}`]!.participants).toContain(ZOE);
    expect(byId[`archive:${REQUEST_FOLDER}`]).toMatchObject({ title: 'さくら 田中', is_request: true });
    expect(byId[`archive:${PLAIN_FOLDER}`]).toMatchObject({ title: 'Renée Naïve', is_request: false });
    expect(byId[`archive:${PLAIN_FOLDER}`]!.participants).toContain('Renée Naïve');
  });

  it('repairs senders, text, share, reactions and the media file name byte for byte', () => {
    expect(
      zoe.map(({ sender, text, kind, share, reactions, unsent }) => ({ sender, text, kind, share, reactions, unsent })),
    ).toEqual([
      { sender: ME, text: 'see you at the lighthouse', kind: 'text', share: null, reactions: [], unsent: false },
      {
        sender: ME,
        text: FAMILY,
        kind: 'text',
        share: null,
        reactions: [{ emoji: '😂', actor: ZOE }],
        unsent: false,
      },
      { sender: ZOE, text: RTL, kind: 'text', share: null, reactions: [], unsent: false },
      { sender: ZOE, text: CJK, kind: 'text', share: null, reactions: [], unsent: false },
      { sender: ZOE, text: null, kind: 'photo', share: null, reactions: [], unsent: false },
      {
        sender: ZOE,
        text: null,
        kind: 'share',
        share: { url: SHARE.link, text: SHARE.text, owner: SHARE.owner },
        reactions: [],
        unsent: false,
      },
      { sender: ME, text: 'haha', kind: 'text', share: null, reactions: [], unsent: false },
      { sender: ME, text: 'haha', kind: 'text', share: null, reactions: [], unsent: false },
      { sender: ZOE, text: 'Missed a video call', kind: 'call', share: null, reactions: [], unsent: false },
      { sender: ZOE, text: `${ZOE} unsent a message`, kind: 'system', share: null, reactions: [], unsent: true },
    ]);
    expect(Buffer.from(zoe[1]!.text!, 'utf8')).toEqual(Buffer.from(FAMILY, 'utf8'));
  });

  it('copies the photo named café_ü.jpg into the media folder', () => {
    const [photo] = zoe.find((message) => message.kind === 'photo')!.media;
    expect(photo).toMatchObject({ kind: 'photo', name: PHOTO_URI, path: expect.stringMatching(/^[0-9a-f]{2}\//) });
    expect(existsSync(join(home, 'profiles', 'default', 'media', photo!.path!))).toBe(true);
  });

  it('keeps text that was real UTF-8 exactly', async () => {
    const plain = await json<MessageJson[]>(home, ['show', `archive:${PLAIN_FOLDER}`]);
    expect(plain.map((message) => [message.sender, message.text])).toEqual(
      [...PLAIN_TEXTS].reverse().map((text) => ['Renée Naïve', text]),
    );
  });

  it('gives exact repeats two ids, and adds nothing when imported again', async () => {
    const repeats = zoe.filter((message) => message.text === 'haha');
    expect(repeats).toHaveLength(2);
    expect(new Set(repeats.map((message) => message.message_id)).size).toBe(2);
    expect(await json<ImportJson>(home, ['import', zip])).toMatchObject({ messages_read: 13, messages_added: 0 });
    const again = await json<MessageJson[]>(home, ['show', `archive:${ZOE_FOLDER}`]);
    expect(again.map((message) => message.message_id)).toEqual(zoe.map((message) => message.message_id));
  });

  it('keeps the milliseconds of sent_at in show and search', async () => {
    expect(zoe[0]!.sent_at).toBe('2024-06-14T07:43:55.728Z');
    const hits = await json<Array<{ sent_at: string }>>(home, ['search', 'lighthouse']);
    expect(hits.map((hit) => hit.sent_at)).toEqual(['2024-06-14T07:43:55.728Z']);
  });
});

describe('an HTML archive without --timezone', { timeout: SLOW }, () => {
  it('reads its times in the system time zone', async () => {
    const base = `${BASE}/inbox/${ZOE_FOLDER}`;
    const root = writeTree(folder.fresh('html'), {
      [`${base}/message_1.html`]: htmlPage(
        ZOE,
        [ZOE, ME],
        [{ sender: ME, time: 'Jan 2, 2024 4:05 pm', text: 'see you at the lighthouse' }],
      ),
    });
    const sentAt = async (zone: string) => {
      const home = newHome();
      await json(home, ['import', root], { TZ: zone });
      const hits = await json<Array<{ sent_at: string }>>(home, ['search', 'lighthouse']);
      return hits.map((hit) => hit.sent_at);
    };
    expect(await sentAt('Asia/Tokyo')).toEqual(['2024-01-02T07:05:00.000Z']);
    expect(await sentAt('America/New_York')).toEqual(['2024-01-02T21:05:00.000Z']);
  });
});
