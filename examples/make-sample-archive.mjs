#!/usr/bin/env node
// Regenerates examples/sample-archive/: a small, made-up Instagram "Download your information"
// archive in Meta's exact on-disk format (current layout, JSON flavour) and encoding (every string's
// UTF-8 bytes written as \u00XX escapes, ASCII-only, indent 2, newest messages first, message_1.json
// the newest file). Everyone in it is fictional.   node examples/make-sample-archive.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'sample-archive');
const MESSAGES = 'your_instagram_activity/messages';

// Meta's bug: UTF-8 bytes read back as Latin-1, then JSON with ensure_ascii.
const moji = (s) => Buffer.from(s, 'utf8').toString('latin1');
const deep = (v) =>
  typeof v === 'string'
    ? moji(v)
    : Array.isArray(v)
      ? v.map(deep)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]))
        : v;
const metaJson = (v) =>
  JSON.stringify(deep(v), null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const box = (type, body) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
const MP4 = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1')), box('free', Buffer.alloc(8))]);
const M4A = Buffer.concat([box('ftyp', Buffer.from('M4A \0\0\0\0M4A mp42isom', 'latin1')), box('free', Buffer.alloc(8))]);

const ME = 'Alex Kim';
const ZOE = 'Zoë Müller';
const JOSE = 'José Álvarez';
const SAKURA = 'さくら 田中';
const LAYLA = 'Layla Haddad';
const F = { is_geoblocked_for_viewer: false, is_unsent_image_by_messenger_kid_parent: false };
const t = (iso) => Date.parse(iso);
const s = (iso) => Math.floor(Date.parse(iso) / 1000);

const files = new Map();
const put = (path, data) => files.set(path, data);

function thread({ box = 'inbox', folder, title, participants, pages, group }) {
  const base = `${MESSAGES}/${box}/${folder}`;
  pages.forEach((messages, i) => {
    const page = {
      participants: participants.map((name) => ({ name })),
      // newest first inside every file
      messages: [...messages].sort((a, b) => b.timestamp_ms - a.timestamp_ms).map((m) => ({ ...m, ...F })),
      title,
      is_still_participant: true,
      thread_path: `${box}/${folder}`,
      magic_words: [],
      ...(group ?? {}),
    };
    put(`${base}/message_${i + 1}.json`, metaJson(page));
  });
  return base;
}

// 1:1 with Zoë: two files (message_2.json holds the older messages), media, a share, reactions.
const Z = 'zoemuller_17843920471234567';
const zb = `${MESSAGES}/inbox/${Z}`;
thread({
  folder: Z,
  title: ZOE,
  participants: [ZOE, ME],
  pages: [
    [
      { sender_name: ZOE, timestamp_ms: t('2024-06-14T16:22:01.728Z'), content: 'Reacted 😂 to your message ' },
      {
        sender_name: ME,
        timestamp_ms: t('2024-06-14T11:40:35.800Z'),
        content: 'ok that reel 😂😂 we need those pancakes',
        reactions: [{ reaction: '😂', actor: ZOE, timestamp: s('2024-06-14T16:22:01Z') }],
      },
      {
        sender_name: ZOE,
        timestamp_ms: t('2024-06-14T11:40:00.123Z'),
        share: {
          link: 'https://www.instagram.com/reel/C7xYz12AbCd/',
          share_text: 'Sunday vibes ☀️ fluffy pancakes #köln',
          original_content_owner: 'some.creator',
        },
      },
      {
        sender_name: ZOE,
        timestamp_ms: t('2024-06-14T11:38:20.000Z'),
        photos: [{ uri: `${zb}/photos/448123456_1234567890123456_987654321098765432_n.jpg`, creation_timestamp: s('2024-06-14T11:38:19Z') }],
        reactions: [{ reaction: '❤️', actor: ME, timestamp: s('2024-06-14T11:39:00Z') }],
      },
      {
        sender_name: ME,
        timestamp_ms: t('2024-06-14T11:13:20.000Z'),
        audio_files: [{ uri: `${zb}/audio/aud_1234567890123456.mp4`, creation_timestamp: s('2024-06-14T11:13:19Z') }],
      },
      {
        sender_name: ZOE,
        timestamp_ms: t('2024-06-14T10:56:40.000Z'),
        videos: [{ uri: `${zb}/videos/vid_9876543210987654.mp4`, creation_timestamp: s('2024-06-14T10:56:39Z') }],
      },
      { sender_name: ME, timestamp_ms: t('2024-06-14T10:40:00.000Z'), content: 'Liked a message' },
      { sender_name: ZOE, timestamp_ms: t('2024-06-14T10:23:20.000Z'), content: `${ZOE} unsent a message` },
      { sender_name: ZOE, timestamp_ms: t('2024-06-14T10:06:40.000Z'), content: 'Missed a video call', call_duration: 0 },
      { sender_name: ZOE, timestamp_ms: t('2024-06-14T09:50:00.000Z'), content: 'Grüße aus Köln! Ça va? ❤️ Привет' },
    ],
    [
      { sender_name: ME, timestamp_ms: t('2023-11-14T22:18:20.000Z'), content: 'see you at the café ☕' },
      { sender_name: ZOE, timestamp_ms: t('2023-11-14T22:16:40.000Z'), content: 'Bis später 👋🏽' },
      { sender_name: ME, timestamp_ms: t('2023-11-14T22:15:00.000Z'), content: 'hey! first message' },
    ],
  ],
});
put(`${zb}/photos/448123456_1234567890123456_987654321098765432_n.jpg`, JPEG);
put(`${zb}/audio/aud_1234567890123456.mp4`, M4A);
put(`${zb}/videos/vid_9876543210987654.mp4`, MP4);

// A group: its title is the group name; a deleted account shows as "Instagram User".
const G = 'weekendcrew_5512345678901234';
const gb = `${MESSAGES}/inbox/${G}`;
thread({
  folder: G,
  title: 'Weekend Crew 🏕️',
  participants: [JOSE, ME, ZOE, 'Instagram User'],
  group: {
    image: { uri: `${gb}/photos/group_photo_1234567890.png`, creation_timestamp: s('2024-06-21T20:00:01Z') },
    joinable_mode: { mode: 1, link: '' },
  },
  pages: [
    [
      { sender_name: ME, timestamp_ms: t('2024-06-21T20:00:00.000Z'), content: 'You created the group.' },
      { sender_name: ME, timestamp_ms: t('2024-06-21T20:00:01.000Z'), content: 'You named the group Weekend Crew 🏕️.' },
      { sender_name: JOSE, timestamp_ms: t('2024-06-21T20:01:00.000Z'), content: '¿Mañana a las 10? 🇪🇸🇩🇪' },
      {
        sender_name: ZOE,
        timestamp_ms: t('2024-06-21T20:02:00.000Z'),
        content: 'Yes! Pancakes at mine first 🥞 👨‍👩‍👧‍👦 bring the kids',
        reactions: [
          { reaction: '👍🏽', actor: JOSE, timestamp: s('2024-06-21T20:03:00Z') },
          { reaction: '🔥', actor: ME, timestamp: s('2024-06-21T20:03:30Z') },
        ],
      },
      { sender_name: 'Instagram User', timestamp_ms: t('2024-06-21T20:04:00.000Z'), content: 'count me in 🏳️‍🌈' },
      {
        sender_name: ME,
        timestamp_ms: t('2024-06-21T20:05:00.000Z'),
        photos: [{ uri: `${gb}/photos/campsite_2233445566.png`, creation_timestamp: s('2024-06-21T20:04:59Z') }],
      },
    ],
  ],
});
put(`${gb}/photos/group_photo_1234567890.png`, PNG);
put(`${gb}/photos/campsite_2233445566.png`, PNG);

// Right-to-left text.
thread({
  folder: 'laylahaddad_31415926535897932',
  title: LAYLA,
  participants: [LAYLA, ME],
  pages: [
    [
      { sender_name: LAYLA, timestamp_ms: t('2024-05-02T08:00:00.000Z'), content: 'مرحبا! كيف حالك؟ 🌙' },
      { sender_name: ME, timestamp_ms: t('2024-05-02T08:01:00.000Z'), content: 'שלום! All good, you? 🙌🏿' },
      { sender_name: LAYLA, timestamp_ms: t('2024-05-02T08:02:00.000Z'), content: 'https://www.example.com/recipes/pancakes' },
    ],
  ],
});

// A message request (not accepted yet).
thread({
  box: 'message_requests',
  folder: 'sakuratanaka_99887766554433',
  title: SAKURA,
  participants: [SAKURA, ME],
  pages: [
    [
      { sender_name: SAKURA, timestamp_ms: t('2024-07-03T09:45:00.000Z'), content: 'こんにちは！写真、とても素敵です 📸' },
      { sender_name: SAKURA, timestamp_ms: t('2024-07-03T09:46:00.000Z'), content: '你好 · 안녕하세요 · 👋' },
    ],
  ],
});

rmSync(ROOT, { recursive: true, force: true });
for (const [path, data] of files) {
  const file = join(ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}
console.log(`wrote ${files.size} files to ${ROOT}`);
